import { z } from 'zod';
import { licenseKeySchema } from './mapping-config.schema';
import { attributesSchema, changeOrderSchema, messageEnvelopeShape } from './message-envelope.schema';
import { NUL_MESSAGE, refuseUnstorable, withoutNul } from './storable';

/** A target attribute used to find an existing account before creating one; lower precedence first. */
export const matchingAttributeSchema = z.object({
  targetAttribute: z.string().min(1),
  value: z.string().min(1),
  precedence: z.number().int().min(1),
});
export type MatchingAttribute = z.infer<typeof matchingAttributeSchema>;

const base = {
  ...messageEnvelopeShape,
  /** 2: the command may carry `licenseKeys`. A connector that knows only 1 refuses it rather than drop the licenses. */
  version: z.union([z.literal(1), z.literal(2)]),
  /** Directory object id of the user the command is about: the unit of per-user ordering. */
  userId: z.string().min(1).max(256),
  /** Change order of the directory event that produced it; the connector drops older commands. */
  order: changeOrderSchema,
  matching: z.array(matchingAttributeSchema).min(1),
  /** Attributes computed through Redact(): the connector sends them but logs "[Redact]". */
  redactedAttributes: z.array(z.string().min(1)).optional(),
  /** Set on the commands a reconciliation against GoTo makes to repair drift: the provisioning log says why. */
  cause: z.literal('drift').optional(),
  /** The watcher cycle of the change the command comes from, so the connector's log records carry it. */
  cycleId: changeOrderSchema.optional(),
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

/**
 * The GoTo licenses the account should hold afterwards (version 2): the whole set, which the
 * connector puts in place; absent means leave the account's licenses as they are.
 */
const licenseKeys = z.array(licenseKeySchema).max(200).optional();

const groupRef = z.object({ externalId: z.string().min(1), displayName: z.string().min(1).max(128) });

/**
 * Target attributes are keyed by SCIM path (`userName`, `name.givenName`, `active`, or an extension
 * URN path). Create, update and enable carry the whole desired state so a connector that finds the
 * account missing or changed can still converge; `changed` says which attributes to send.
 */
export const provisioningCommandSchema = z
  .discriminatedUnion('type', [
    z.object({ ...base, type: z.literal(T.CreateUser), attributes: attributesSchema, licenseKeys }),
    /** `changed` may be empty only when the licenses change (a role change that changes no attribute). */
    z.object({ ...base, type: z.literal(T.UpdateUser), attributes: attributesSchema, changed: z.array(z.string().min(1)), licenseKeys }),
    z.object({ ...base, type: z.literal(T.DisableUser), licenseKeys }),
    z.object({ ...base, type: z.literal(T.EnableUser), attributes: attributesSchema, licenseKeys }),
    z.object({ ...base, type: z.literal(T.DeleteUser) }),
    z.object({ ...base, type: z.literal(T.AddGroupMember), group: groupRef }),
    z.object({ ...base, type: z.literal(T.RemoveGroupMember), group: groupRef }),
  ])
  .superRefine((command, ctx) => {
    const licenses = 'licenseKeys' in command && command.licenseKeys !== undefined;
    if (licenses && command.version < 2) {
      ctx.addIssue({ code: 'custom', path: ['licenseKeys'], message: 'licenseKeys needs command version 2' });
    }
    if (command.type === T.UpdateUser && command.changed.length === 0 && !licenses) {
      ctx.addIssue({ code: 'custom', path: ['changed'], message: 'an update must change an attribute or the licenses' });
    }
  })
  .superRefine(refuseUnstorable);
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

/** Commands per batch: what one connector job handles at once. */
export const PROVISIONING_COMMAND_BATCH_MAX = 100;

/**
 * What the provisioning-commands queues carry: commands of one provisioning job decided together,
 * so a mapper's group of users costs one queue job, not one per command. Each command keeps its own
 * key and order, and the connector checks, runs and logs each on its own: a malformed command is
 * rejected alone, and one that must wait or retry goes back on the queue alone (a batch of one,
 * whose `priorAttempts` counts the attempts it made inside its earlier batch).
 */
export const provisioningCommandBatchSchema = z.object({
  version: z.literal(1),
  id: z.string().min(1).max(256).refine(withoutNul, NUL_MESSAGE),
  provisioningJobId: z.string().min(1).max(256).refine(withoutNul, NUL_MESSAGE),
  commands: z.array(z.unknown()).min(1).max(PROVISIONING_COMMAND_BATCH_MAX),
  priorAttempts: z.number().int().min(1).optional(),
});
/** A batch as it comes off the queue, its commands not yet checked. */
export type ProvisioningCommandEnvelope = z.infer<typeof provisioningCommandBatchSchema>;
export type ProvisioningCommandBatch = Omit<ProvisioningCommandEnvelope, 'commands'> & { commands: ProvisioningCommand[] };
