import { z } from 'zod';

export const DEFAULT_ACCESS_ROLE_ID = '00000000-0000-0000-0000-000000000000';

const text = z.string().nullable().optional();

/** Writable user attributes; the keys double as the selectable user properties. */
export const userAttributesSchema = z.strictObject({
  userPrincipalName: z.string().regex(/^[^@\s]+@[^@\s]+$/, 'must look like alias@domain'),
  mail: text,
  givenName: text,
  surname: text,
  displayName: text,
  accountEnabled: z.boolean().optional(),
  jobTitle: text,
  department: text,
  employeeId: text,
  employeeType: text,
  companyName: text,
  officeLocation: text,
  mobilePhone: text,
  businessPhones: z.array(z.string()).optional(),
  preferredLanguage: text,
  usageLocation: text,
  city: text,
  country: text,
  userType: z.enum(['Member', 'Guest']).optional(),
  mailNickname: text,
  onPremisesImmutableId: text,
  proxyAddresses: z.array(z.string()).optional(),
});
export const newUserSchema = userAttributesSchema.extend({ id: z.guid().optional() });
export const userPatchSchema = userAttributesSchema.partial();

export const groupAttributesSchema = z.strictObject({
  displayName: z.string().min(1),
  description: text,
  mail: text,
  mailNickname: text,
  mailEnabled: z.boolean().optional(),
  securityEnabled: z.boolean().optional(),
  groupTypes: z.array(z.string()).optional(),
});
export const newGroupSchema = groupAttributesSchema.extend({ id: z.guid().optional() });
export const groupPatchSchema = groupAttributesSchema.partial();

export type NewUser = z.input<typeof newUserSchema>;
export type UserPatch = z.input<typeof userPatchSchema>;
export type NewGroup = z.input<typeof newGroupSchema>;
export type GroupPatch = z.input<typeof groupPatchSchema>;

type Stored<T> = { -readonly [K in keyof T]-?: Exclude<T[K], undefined> };
type DirectoryObjectFields = {
  id: string;
  createdDateTime: string;
  deletedDateTime: string | null;
};
export type UserRecord = Stored<z.output<typeof userAttributesSchema>> & DirectoryObjectFields;
export type GroupRecord = Stored<z.output<typeof groupAttributesSchema>> & DirectoryObjectFields;

export type UserAttributes = Omit<UserRecord, keyof DirectoryObjectFields>;
export type GroupAttributes = Omit<GroupRecord, keyof DirectoryObjectFields>;

export const USER_ATTRIBUTES = Object.keys(userAttributesSchema.shape) as (keyof UserAttributes)[];
export const GROUP_ATTRIBUTES = Object.keys(groupAttributesSchema.shape) as (keyof GroupAttributes)[];

/** Values Graph reports for attributes nobody set; everything else defaults to null. */
export const USER_DEFAULTS: Partial<UserAttributes> = {
  accountEnabled: true,
  userType: 'Member',
  businessPhones: [],
  proxyAddresses: [],
};
export const GROUP_DEFAULTS: Partial<GroupAttributes> = {
  mailEnabled: false,
  securityEnabled: true,
  groupTypes: [],
};

export type AppRole = {
  id: string;
  value: string | null;
  displayName: string;
  description: string;
  allowedMemberTypes: ('User' | 'Application')[];
  isEnabled: boolean;
  origin: 'Application';
};

export type ServicePrincipalRecord = {
  id: string;
  appId: string;
  displayName: string;
  appDisplayName: string;
  accountEnabled: boolean;
  servicePrincipalType: 'Application';
  appOwnerOrganizationId: string;
  appRoles: AppRole[];
};

export type AppRoleAssignmentRecord = {
  id: string;
  appRoleId: string;
  principalId: string;
  principalType: 'User' | 'Group';
  resourceId: string;
  createdDateTime: string;
  deletedDateTime: null;
};

/** Admin input for a new assignment; the role defaults to Default Access. */
export const assignmentInputSchema = z.strictObject({
  principalId: z.guid(),
  appRoleId: z.guid().optional(),
  servicePrincipalId: z.guid().optional(),
});
export type AssignmentInput = z.input<typeof assignmentInputSchema>;
