import type { Attributes } from '@roster/contracts';

/**
 * What puts a user in scope: an app-role assignment, direct or through an assigned group, or a job
 * that syncs all users (Entra's "Sync all users and groups"), which needs no assignment at all.
 */
export type EffectiveAssignment =
  | { kind: 'direct'; appRoleId: string }
  | { kind: 'group'; groupId: string; appRoleId: string }
  | { kind: 'all-users' };

/**
 * What a directory says about one user right now. Sources produce these; the watcher compares them
 * with what it saw before and emits assignment-change events for the differences.
 */
export interface DirectoryUserSnapshot {
  id: string;
  /** `soft-deleted` is Entra's recycle bin (restorable); `hard-deleted` is gone for good. */
  state: 'present' | 'soft-deleted' | 'hard-deleted';
  accountEnabled: boolean;
  attributes: Attributes;
  /** Every assignment of the user to the app, including Default Access ones; the watcher filters. */
  assignments: EffectiveAssignment[];
  /** Assigned groups the user is a member of (group membership is provisioned to the target). */
  groups: { id: string; displayName: string }[];
}

export interface SnapshotPage {
  users: DirectoryUserSnapshot[];
  /** Position after this page; saved with the page's effects so a restart resumes here. */
  cursor: string;
}

/** A directory the watcher can follow: Entra ID through Graph, LDAP, or the built-in demo directory. */
export interface DirectorySource {
  readonly kind: string;
  /** Position of the change feed now; an initial full read starts by taking it. */
  currentCursor(): Promise<string>;
  /** Users affected by changes after `cursor`, as current snapshots, page by page. */
  changesSince(cursor: string): AsyncIterable<SnapshotPage>;
  /** Every user the source can see, page by page, for the initial cycle and for reconciliation. */
  allUsers(): AsyncIterable<DirectoryUserSnapshot[]>;
  /** Ids of the users the source has, in id order after `afterId`: a keyset page of the directory as it is now. */
  userIdsAfter(afterId: string | null, limit: number): Promise<string[]>;
  /** Current snapshots of `ids`, in that order; an id the source does not have is reported hard-deleted. */
  snapshots(ids: string[]): Promise<DirectoryUserSnapshot[]>;
  /** Push trigger: the source calls `listener` when it knows something changed. */
  onChange?(listener: () => void): () => void;
}
