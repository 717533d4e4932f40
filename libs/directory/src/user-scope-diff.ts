import { createHash } from 'node:crypto';
import { AssignmentChangeType as T, DEFAULT_ACCESS_ROLE_ID, type Attributes } from '@roster/contracts';
import type { DirectoryUserSnapshot, EffectiveAssignment } from './directory-source';

/** What the watcher remembers about a user between cycles (no attribute values, only their hash). */
export interface WatchedUserState {
  userId: string;
  inScope: boolean;
  accountEnabled: boolean;
  attributesHash: string;
  groupIds: string[];
}

export interface ScopeOptions {
  /** Entra ignores Default Access assignments for provisioning unless the app is set to include them. */
  includeDefaultAccess: boolean;
}

export type UserEventDraft =
  | { type: typeof T.UserAssigned; via: EffectiveAssignment[] }
  | { type: typeof T.UserUnassigned | typeof T.UserAttributesChanged | typeof T.UserDisabled }
  | { type: typeof T.UserDeleted; hardDelete: boolean }
  | { type: typeof T.GroupMemberAdded | typeof T.GroupMemberRemoved; group: { id: string; displayName: string } };

export function attributesHash(attributes: Attributes, accountEnabled: boolean): string {
  const canonical = JSON.stringify(
    Object.keys(attributes)
      .sort()
      .map((k) => [k, attributes[k]]),
  );
  return createHash('sha256').update(canonical).update(accountEnabled ? '1' : '0').digest('base64url');
}

export function effectiveAssignments(snapshot: DirectoryUserSnapshot, options: ScopeOptions): EffectiveAssignment[] {
  return snapshot.assignments.filter((a) => options.includeDefaultAccess || a.appRoleId !== DEFAULT_ACCESS_ROLE_ID);
}

/**
 * Compares a user's current snapshot with the state last acted on and says which events follow.
 * Pure, so the same rules serve incremental cycles, full resyncs and reconciliation: a snapshot
 * identical to the saved state yields nothing, which makes replays harmless.
 */
export function diffUser(
  previous: WatchedUserState | null,
  snapshot: DirectoryUserSnapshot,
  options: ScopeOptions,
): { events: UserEventDraft[]; next: WatchedUserState } {
  const via = snapshot.state === 'present' ? effectiveAssignments(snapshot, options) : [];
  const inScope = via.length > 0;
  const hash = attributesHash(snapshot.attributes, snapshot.accountEnabled);
  const groups = inScope ? snapshot.groups : [];
  const next: WatchedUserState = {
    userId: snapshot.id,
    inScope,
    accountEnabled: snapshot.accountEnabled,
    attributesHash: hash,
    groupIds: groups.map((g) => g.id).sort(),
  };
  const events: UserEventDraft[] = [];
  const wasInScope = previous?.inScope ?? false;

  if (!wasInScope && inScope) {
    events.push({ type: T.UserAssigned, via });
  } else if (wasInScope && !inScope) {
    if (snapshot.state === 'present') events.push({ type: T.UserUnassigned });
    else events.push({ type: T.UserDeleted, hardDelete: snapshot.state === 'hard-deleted' });
  } else if (wasInScope && inScope && previous) {
    if (previous.accountEnabled && !snapshot.accountEnabled) events.push({ type: T.UserDisabled });
    else if (previous.attributesHash !== hash) events.push({ type: T.UserAttributesChanged });
  }

  const before = new Set(wasInScope ? previous?.groupIds : []);
  const after = new Set(next.groupIds);
  for (const g of groups) if (!before.has(g.id)) events.push({ type: T.GroupMemberAdded, group: g });
  for (const id of before) {
    if (!after.has(id)) events.push({ type: T.GroupMemberRemoved, group: { id, displayName: id } });
  }
  return { events, next };
}
