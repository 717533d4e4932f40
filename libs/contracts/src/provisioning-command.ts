import { z } from 'zod';
import { attributesSchema, changeOrderSchema, messageEnvelopeShape } from './message-envelope.schema';

/** A target attribute used to find an existing account before creating one; lower precedence first. */
export const matchingAttributeSchema = z.object({
  targetAttribute: z.string().min(1),
  value: z.string().min(1),
  precedence: z.number().int().min(1),
});
export type MatchingAttribute = z.infer<typeof matchingAttributeSchema>;

const base = {
  ...messageEnvelopeShape,
  /** Directory object id of the user the command is about: the unit of per-user ordering. */
  userId: z.string().min(1).max(256),
  /** Change order of the directory event that produced it; the connector drops older commands. */
  order: changeOrderSchema,
  matching: z.array(matchingAttributeSchema).min(1),
  /** Attributes computed through Redact(): the connector sends them but logs "[Redact]". */
  redactedAttributes: z.array(z.string().min(1)).optional(),
};

export const ProvisioningCommandType = {
  CreateUser: 'user.create',
  UpdateUser: 'user.update',
  DisableUser: 'user.disable',
  EnableUser: 'user.enable',
  DeleteUser: 'user.delete',
  AddGroupMember: 'group.add-member',
  RemoveGroupMember: 'group.remove-member',
} as const;
const T = ProvisioningCommandType;

const groupRef = z.object({ externalId: z.string().min(1), displayName: z.string().min(1).max(128) });

/**
 * Target attributes are keyed by SCIM path (`userName`, `name.givenName`, `active`, or an extension
 * URN path). Create, update and enable carry the whole desired state so a connector that finds the
 * account missing or changed can still converge; `changed` says which attributes to send.
 */
export const provisioningCommandSchema = z.discriminatedUnion('type', [
  z.object({ ...base, type: z.literal(T.CreateUser), attributes: attributesSchema }),
  z.object({ ...base, type: z.literal(T.UpdateUser), attributes: attributesSchema, changed: z.array(z.string().min(1)).min(1) }),
  z.object({ ...base, type: z.literal(T.DisableUser) }),
  z.object({ ...base, type: z.literal(T.EnableUser), attributes: attributesSchema }),
  z.object({ ...base, type: z.literal(T.DeleteUser) }),
  z.object({ ...base, type: z.literal(T.AddGroupMember), group: groupRef }),
  z.object({ ...base, type: z.literal(T.RemoveGroupMember), group: groupRef }),
]);
export type ProvisioningCommand = z.infer<typeof provisioningCommandSchema>;
export type ProvisioningCommandOf<K extends ProvisioningCommand['type']> = Extract<ProvisioningCommand, { type: K }>;

/** The provisioning-log action a command performs. */
export const auditActionOfCommand = {
  [T.CreateUser]: 'Create',
  [T.UpdateUser]: 'Update',
  [T.DisableUser]: 'Disable',
  [T.EnableUser]: 'Enable',
  [T.DeleteUser]: 'Delete',
  [T.AddGroupMember]: 'AddMember',
  [T.RemoveGroupMember]: 'RemoveMember',
} as const satisfies Record<ProvisioningCommand['type'], string>;
