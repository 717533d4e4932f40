import { ProvisioningCommandType, type ProvisioningCommand, type ProvisioningCommandOf } from '@roster/contracts';

/** The provisioning job every factory message belongs to unless told otherwise. */
export const TEST_JOB_ID = 'gotomeeting';
const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';

/** The user name of directory user `n`; `run` keeps users of different runs apart. */
export const userNameOf = (n: number, run = 'u') => `${run}${n}@example.com`;

/** SCIM attributes as the default mapping produces them for user `n`. */
function attributesOf(n: number, run: string, extra: Record<string, string | boolean | null>) {
  return {
    userName: userNameOf(n, run),
    externalId: `dir-${run}${n}`,
    active: true,
    'name.givenName': 'Ada',
    'name.familyName': `${run}${n}`,
    displayName: `Ada ${run}${n}`,
    [`${ENTERPRISE}:department`]: 'R&D',
    ...extra,
  };
}

export interface CommandSpec<K extends ProvisioningCommand['type']> {
  n: number;
  /** A prefix that keeps users (and idempotency keys) of different runs apart. */
  run?: string;
  order?: number;
  type?: K;
  provisioningJobId?: string;
  /** For user.update: attributes to change (merged into the desired state) and name as `changed`. */
  change?: Record<string, string | boolean | null>;
  /** For group.add-member / group.remove-member (default: group `g-<run>`). */
  group?: { externalId: string; displayName: string };
}

/** A command about directory user `n`, as the mapper would send it (default: create). */
export function aCommand<K extends ProvisioningCommand['type'] = typeof ProvisioningCommandType.CreateUser>(spec: CommandSpec<K>): ProvisioningCommandOf<K> {
  return buildCommand(spec) as ProvisioningCommandOf<K>;
}

function buildCommand({
  n,
  run = 'u',
  order = 1,
  type = ProvisioningCommandType.CreateUser,
  provisioningJobId = TEST_JOB_ID,
  change = {},
  group = { externalId: `g-${run}`, displayName: `Group ${run}` },
}: CommandSpec<ProvisioningCommand['type']>): ProvisioningCommand {
  const base = {
    version: 1 as const,
    idempotencyKey: `${run}:${n}:${type}:${order}`,
    correlationId: `corr-${run}-${n}`,
    provisioningJobId,
    occurredAt: new Date().toISOString(),
    userId: `dir-${run}${n}`,
    order: String(order),
    matching: [{ targetAttribute: 'userName', value: userNameOf(n, run), precedence: 1 }],
  };
  const attributes = attributesOf(n, run, change);
  switch (type) {
    case ProvisioningCommandType.CreateUser:
    case ProvisioningCommandType.EnableUser:
      return { ...base, type, attributes };
    case ProvisioningCommandType.UpdateUser:
      return { ...base, type, attributes, changed: Object.keys(change) };
    case ProvisioningCommandType.DisableUser:
    case ProvisioningCommandType.DeleteUser:
      return { ...base, type };
    case ProvisioningCommandType.AddGroupMember:
    case ProvisioningCommandType.RemoveGroupMember:
      return { ...base, type, group };
  }
}
