import { z } from 'zod';
import { attributesSchema, changeOrderSchema, messageEnvelopeShape } from './message-envelope.schema';
import { NUL_MESSAGE, refuseUnstorable, withoutNul } from './storable';

export const directoryUserSchema = z.object({
  id: z.string().min(1).max(256),
  attributes: attributesSchema,
});
export type DirectoryUser = z.infer<typeof directoryUserSchema>;

export const directoryGroupSchema = z.object({
  id: z.string().min(1).max(256),
  displayName: z.string().min(1).max(256),
});

/**
 * Why a user is in scope: assigned to the app directly, as a member of an assigned group, or because
 * the job syncs all users.
 */
export const assignmentViaSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('direct'), appRoleId: z.string().min(1) }),
  z.object({ kind: z.literal('group'), groupId: z.string().min(1), appRoleId: z.string().min(1) }),
  z.object({ kind: z.literal('all-users') }),
]);
export type AssignmentVia = z.infer<typeof assignmentViaSchema>;

/** The app roles behind a user's assignments, sorted and without repeats ("sync all users" has none). */
export function appRolesOf(via: readonly AssignmentVia[]): string[] {
  return [...new Set(via.flatMap((a) => (a.kind === 'all-users' ? [] : [a.appRoleId])))].sort();
}

const source = z.object({
  kind: z.string().min(1).max(64),
  order: changeOrderSchema,
  /** The watcher cycle that produced the event; accidental-deletion prevention counts per cycle. */
  cycle: changeOrderSchema.optional(),
});
const base = { ...messageEnvelopeShape, source };

export const AssignmentChangeType = {
  UserAssigned: 'user.assigned',
  UserUnassigned: 'user.unassigned',
  UserAttributesChanged: 'user.attributes-changed',
  UserDisabled: 'user.disabled',
  UserDeleted: 'user.deleted',
  GroupAssigned: 'group.assigned',
  GroupUnassigned: 'group.unassigned',
  GroupMemberAdded: 'group.member-added',
  GroupMemberRemoved: 'group.member-removed',
  /** The user's app roles changed while it stayed in scope (its licenses may follow the roles). */
  UserRolesChanged: 'user.roles-changed',
  /** Re-decide a user from its saved state after the job's mappings or scoping filters changed. */
  UserReevaluate: 'user.reevaluate',
  /** Every event of the cycle has been emitted; `eventCount` says how many. */
  CycleCompleted: 'cycle.completed',
} as const;
const T = AssignmentChangeType;

/**
 * Every user event carries the user's whole current state (attributes and the assigned groups it is
 * a member of), never a delta. Consumers may therefore drop any event older than one they have
 * applied: the newer one already says everything, whatever order concurrent workers see them in.
 */
const userState = {
  user: directoryUserSchema,
  groups: z.array(directoryGroupSchema).max(10_000).default([]),
  /** The user's assignments to the app now, when in scope; absent from producers that predate it. */
  via: z.array(assignmentViaSchema).max(10_000).optional(),
  /**
   * Send the whole desired state, not the difference from the state the mapper saved: queued work was
   * lost (Redis lost its data), so the target may hold less than the mapper last decided.
   */
  full: z.literal(true).optional(),
};
const assignedVia = z.array(assignmentViaSchema).min(1).max(10_000);

export const assignmentChangeEventSchema = z.discriminatedUnion('type', [
  z.object({ ...base, ...userState, type: z.literal(T.UserAssigned), via: assignedVia }),
  z.object({ ...base, ...userState, type: z.literal(T.UserRolesChanged), via: assignedVia }),
  z.object({ ...base, ...userState, type: z.literal(T.UserUnassigned) }),
  z.object({ ...base, ...userState, type: z.literal(T.UserAttributesChanged) }),
  z.object({ ...base, ...userState, type: z.literal(T.UserDisabled) }),
  z.object({
    ...base,
    ...userState,
    type: z.literal(T.UserDeleted),
    /** A soft delete (recycle bin) disables; only a hard delete may delete the account. */
    hardDelete: z.boolean(),
  }),
  z.object({ ...base, type: z.literal(T.GroupAssigned), group: directoryGroupSchema }),
  z.object({ ...base, type: z.literal(T.GroupUnassigned), group: directoryGroupSchema }),
  /** `group` is the membership that changed; `groups` is the complete set after the change. */
  z.object({ ...base, ...userState, type: z.literal(T.GroupMemberAdded), group: directoryGroupSchema }),
  z.object({ ...base, ...userState, type: z.literal(T.GroupMemberRemoved), group: directoryGroupSchema }),
  z.object({
    ...base,
    type: z.literal(T.UserReevaluate),
    userId: z.string().min(1),
    configVersion: z.number().int().min(1),
    /**
     * Send the whole desired state, not the difference from the saved one: the target may not hold
     * what was last decided (an admin re-drove a dead-lettered command). Never stale, counted in no cycle.
     */
    full: z.literal(true).optional(),
  }),
  z.object({ ...base, type: z.literal(T.CycleCompleted), cycle: changeOrderSchema, eventCount: z.number().int().min(0) }),
]).superRefine(refuseUnstorable);
export type AssignmentChangeEvent = z.infer<typeof assignmentChangeEventSchema>;
export type AssignmentChangeOf<K extends AssignmentChangeEvent['type']> = Extract<AssignmentChangeEvent, { type: K }>;
export type UserAssignmentChange = Extract<AssignmentChangeEvent, { user: unknown }>;

/** Events per batch: a watcher page. */
export const ASSIGNMENT_CHANGE_BATCH_MAX = 1000;

/**
 * What the assignment-changes queue carries: the events of one watcher page (or one event on its
 * own), so a page of 1,000 users costs one queue job, not 1,000. Each event keeps its own key and
 * order, and the mapper checks, handles and logs each on its own: a malformed event is rejected
 * alone, never its whole batch. At most one event per user in a batch. `priorAttempts` counts the
 * attempts an event made inside an earlier batch before it was retried on its own.
 */
export const assignmentChangeBatchSchema = z.object({
  version: z.literal(1),
  id: z.string().min(1).max(256).refine(withoutNul, NUL_MESSAGE),
  events: z.array(z.unknown()).min(1).max(ASSIGNMENT_CHANGE_BATCH_MAX),
  priorAttempts: z.number().int().min(1).optional(),
});
/** A batch as it comes off the queue, its events not yet checked. */
export type AssignmentChangeEnvelope = z.infer<typeof assignmentChangeBatchSchema>;
export type AssignmentChangeBatch = Omit<AssignmentChangeEnvelope, 'events'> & { events: AssignmentChangeEvent[] };

/** The directory object an event is about: the user, or the group for group-level events. */
export function subjectIdOf(event: AssignmentChangeEvent): string {
  if ('user' in event) return event.user.id;
  if ('userId' in event) return event.userId;
  if ('group' in event) return event.group.id;
  return `cycle:${event.cycle}`;
}
