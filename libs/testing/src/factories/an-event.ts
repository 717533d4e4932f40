import {
  AssignmentChangeType as T,
  type AssignmentChangeOf,
  type AssignmentVia,
  type Attributes,
  type UserAssignmentChange,
} from '@roster/contracts';
import { TEST_JOB_ID } from './a-command';

/** The app role the test directory assigns users with. */
export const TEST_APP_ROLE = 'a1b2c3d4-0000-4000-8000-000000000001';

type UserEventType = UserAssignmentChange['type'];

export interface EventSpec<K extends UserEventType> {
  /** Directory object id of the user. */
  userId: string;
  type?: K;
  order?: number;
  /** The watcher cycle the event belongs to. */
  cycle?: string;
  provisioningJobId?: string;
  /** Directory attributes, merged over a complete enabled user. */
  attributes?: Attributes;
  /** Assigned groups the user is a member of after the change. */
  groups?: { id: string; displayName: string }[];
  /** For group.member-added / group.member-removed: the membership that changed. */
  group?: { id: string; displayName: string };
  /** For user.deleted. */
  hardDelete?: boolean;
  /** The user's assignments (user.assigned, user.roles-changed; default: direct, with TEST_APP_ROLE). */
  via?: AssignmentVia[];
}

/** A user event as the directory watcher emits it (default: assigned directly to the app). */
export function anEvent<K extends UserEventType = typeof T.UserAssigned>(spec: EventSpec<K>): AssignmentChangeOf<K> {
  return buildEvent(spec) as AssignmentChangeOf<K>;
}

function buildEvent({
  userId,
  type = T.UserAssigned,
  order = 1,
  cycle,
  provisioningJobId = TEST_JOB_ID,
  attributes = {},
  groups = [],
  group = { id: 'group-1', displayName: 'Group 1' },
  hardDelete = false,
  via = [{ kind: 'direct', appRoleId: TEST_APP_ROLE }],
}: EventSpec<UserEventType>): UserAssignmentChange {
  const key = `${userId}/${type}/${order}`;
  const base = {
    version: 1 as const,
    idempotencyKey: key,
    correlationId: key,
    provisioningJobId,
    occurredAt: new Date().toISOString(),
    source: { kind: 'test', order: String(order), ...(cycle === undefined ? {} : { cycle }) },
    user: {
      id: userId,
      attributes: {
        objectId: userId,
        userPrincipalName: `${userId}@example.com`,
        givenName: 'Ada',
        surname: userId,
        displayName: `Ada ${userId}`,
        accountEnabled: true,
        ...attributes,
      },
    },
    groups,
  };
  switch (type) {
    case T.UserAssigned:
    case T.UserRolesChanged:
      return { ...base, type, via };
    case T.UserDeleted:
      return { ...base, type, hardDelete };
    case T.GroupMemberAdded:
    case T.GroupMemberRemoved:
      return { ...base, type, group };
    case T.UserUnassigned:
    case T.UserAttributesChanged:
    case T.UserDisabled:
      return { ...base, type };
  }
}
