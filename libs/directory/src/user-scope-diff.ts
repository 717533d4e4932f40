import { hash } from 'node:crypto';
import { AssignmentChangeType as T, DEFAULT_ACCESS_ROLE_ID, appRolesOf, type Attributes } from '@roster/contracts';
import type { DirectoryUserSnapshot, EffectiveAssignment } from './directory-source';

/** What the watcher remembers about a user between cycles (no attribute values, only their hash). */
export interface WatchedUserState {
  userId: string;
  inScope: boolean;
  accountEnabled: boolean;
  attributesHash: string;
  groupIds: string[];
  /** App roles of the user's assignments (sorted); null: saved before roles were kept. */
  appRoles: string[] | null;
}

export interface ScopeOptions {
  /** Entra ignores Default Access assignments for provisioning unless the app is set to include them. */
  includeDefaultAccess: boolean;
}

/**
 * The one event a user's change produces in a page; the event carries the user's full state, its
 * assignments (`via`) included while it is in scope.
 */
export type UserEventDraft =
  | { type: typeof T.UserAssigned | typeof T.UserRolesChanged; via: EffectiveAssignment[] }
  | ((
      | { type: typeof T.UserUnassigned | typeof T.UserAttributesChanged | typeof T.UserDisabled }
      | { type: typeof T.UserDeleted; hardDelete: boolean }
      | { type: typeof T.GroupMemberAdded | typeof T.GroupMemberRemoved; group: { id: string; displayName: string } }
    ) & { via?: EffectiveAssignment[] });

export function attributesHash(attributes: Attributes, accountEnabled: boolean): string {
  const canonical = JSON.stringify(
    Object.keys(attributes)
      .sort()
      .map((k) => [k, attributes[k]]),
  );
  // One-shot hashing: a full read hashes every user, and a Hash object per user costs more than the digest.
  return hash('sha256', canonical + (accountEnabled ? '1' : '0'), 'base64url');
}

export function effectiveAssignments(snapshot: DirectoryUserSnapshot, options: ScopeOptions): EffectiveAssignment[] {
  return snapshot.assignments.filter((a) => a.kind === 'all-users' || options.includeDefaultAccess || a.appRoleId !== DEFAULT_ACCESS_ROLE_ID);
}

/**
 * Compares a user's current snapshot with the state last acted on and says which event follows, if
 * any: at most one per user, since the event carries the whole state. Pure, so the same rules serve
 * incremental cycles, full resyncs and reconciliation: a snapshot identical to the saved state
 * yields nothing, which makes replays harmless.
 */
export function diffUser(
  previous: WatchedUserState | null,
  snapshot: DirectoryUserSnapshot,
  options: ScopeOptions,
): { event: UserEventDraft | null; next: WatchedUserState } {
  const via = snapshot.state === 'present' ? effectiveAssignments(snapshot, options) : [];
  const inScope = via.length > 0;
  const attributesDigest = attributesHash(snapshot.attributes, snapshot.accountEnabled);
  const next: WatchedUserState = {
    userId: snapshot.id,
    inScope,
    accountEnabled: snapshot.accountEnabled,
    attributesHash: attributesDigest,
    groupIds: (inScope ? snapshot.groups : []).map((g) => g.id).sort(),
    appRoles: appRolesOf(via),
  };
  const event = eventFor(previous, snapshot, next, via);
  return { event: event && inScope && !('via' in event) ? { ...event, via } : event, next };
}

function eventFor(
  previous: WatchedUserState | null,
  snapshot: DirectoryUserSnapshot,
  next: WatchedUserState,
  via: EffectiveAssignment[],
): UserEventDraft | null {
  const wasInScope = previous?.inScope ?? false;
  if (!wasInScope) return next.inScope ? { type: T.UserAssigned, via } : null;
  if (!next.inScope) return snapshot.state === 'present' ? { type: T.UserUnassigned } : { type: T.UserDeleted, hardDelete: snapshot.state === 'hard-deleted' };
  if (previous!.accountEnabled && !snapshot.accountEnabled) return { type: T.UserDisabled };
  if (previous!.attributesHash !== next.attributesHash) return { type: T.UserAttributesChanged };
  const before = new Set(previous!.groupIds);
  const added = snapshot.groups.find((g) => !before.has(g.id));
  if (added) return { type: T.GroupMemberAdded, group: added };
  const removed = previous!.groupIds.find((id) => !next.groupIds.includes(id));
  if (removed) return { type: T.GroupMemberRemoved, group: { id: removed, displayName: removed } };
  // Any event above carries the roles too; this one is for a role change alone. Roles never recorded
  // (state saved before they were kept) count as changed, so the mapper learns them once.
  const roles = previous!.appRoles;
  return roles === null || roles.join('\n') !== appRolesOf(via).join('\n') ? { type: T.UserRolesChanged, via } : null;
}

/**
 * What the watcher keeps of the last event it emitted for a user, enough to emit a leave event again
 * (`user.deleted` says which kind of delete).
 */
export function eventTagOf(draft: UserEventDraft): string {
  return draft.type === T.UserDeleted ? `${draft.type}:${draft.hardDelete ? 'hard' : 'soft'}` : draft.type;
}

/**
 * The event that restates a user's whole state after queued events may have been lost: the change
 * there is, if any; else `user.assigned` for a user in scope; else, for a user out of scope whose
 * last event took it out (`lastTag`), that event again, so the account ends as the lost event would
 * have left it (disabled, or deleted after a hard delete). Users never told about yield nothing.
 */
export function restateUser(
  previous: WatchedUserState | null,
  lastTag: string | null,
  snapshot: DirectoryUserSnapshot,
  options: ScopeOptions,
): { event: UserEventDraft | null; next: WatchedUserState } {
  const diff = diffUser(previous, snapshot, options);
  if (diff.event) return diff;
  if (diff.next.inScope) return { ...diff, event: { type: T.UserAssigned, via: effectiveAssignments(snapshot, options) } };
  return { ...diff, event: leaveEventOf(lastTag) };
}

function leaveEventOf(tag: string | null): UserEventDraft | null {
  if (tag === T.UserUnassigned) return { type: T.UserUnassigned };
  if (tag === `${T.UserDeleted}:hard` || tag === `${T.UserDeleted}:soft`) return { type: T.UserDeleted, hardDelete: tag.endsWith(':hard') };
  return null;
}
