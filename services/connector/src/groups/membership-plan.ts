import { compareChangeOrder } from '@roster/contracts';

/** A membership change accepted from a command, waiting to be sent. */
export interface PendingMembership {
  commandKey: string;
  userId: string;
  accountId: string;
  /** true: add the account to the group; false: remove it. */
  member: boolean;
  order: string;
  /** Arrival order, for changes of one user with the same change order. */
  seq: string;
  /**
   * The user's newest accepted change of this membership (null: none kept): it may be settled
   * already, by a PATCH whose flush rolled back the settling of the changes it superseded.
   */
  wanted: MembershipChange | null;
}

/** Whether a user is to be a member, as of a change order. */
export interface MembershipChange {
  member: boolean;
  order: string;
}

export interface MembershipPlan<T extends PendingMembership> {
  /** Changes a newer change of the same user to the same group overrides: never sent. */
  superseded: { change: T; by: MembershipChange }[];
  /** What to send, in requests of at most `perRequest` member references. */
  requests: T[][];
}

/**
 * Turns the pending changes of one group into as few requests as GoTo allows. Only each user's
 * newest change is sent, so a remove can never be overtaken by the add it follows (or the reverse),
 * not even once the remove is settled and the add is all that is left pending.
 */
export function planMembershipChanges<T extends PendingMembership>(pending: readonly T[], perRequest: number): MembershipPlan<T> {
  const newest = new Map<string, T>();
  for (const change of pending) {
    const current = newest.get(change.userId);
    if (!current || isNewer(change, current)) newest.set(change.userId, change);
  }
  // What each user ends up as: its newest pending change, unless a newer one was accepted and settled.
  const winner = new Map<string, MembershipChange>();
  for (const [userId, change] of newest) winner.set(userId, change.wanted && overrides(change.wanted, change) ? change.wanted : change);
  const winners = pending.filter((c) => winner.get(c.userId) === c).sort(byArrival);
  const superseded = pending.filter((c) => winner.get(c.userId) !== c).map((c) => ({ change: c, by: winner.get(c.userId)! }));
  const requests: T[][] = [];
  for (let i = 0; i < winners.length; i += perRequest) requests.push(winners.slice(i, i + perRequest));
  return { superseded, requests };
}

/**
 * The newest accepted change is kept with every acceptance, a later one of the same order winning;
 * so at the same order with another member it was accepted after the pending change.
 */
function overrides(wanted: MembershipChange, change: PendingMembership): boolean {
  const byOrder = compareChangeOrder(wanted.order, change.order);
  return byOrder !== 0 ? byOrder > 0 : wanted.member !== change.member;
}

function isNewer(a: PendingMembership, b: PendingMembership): boolean {
  const byOrder = compareChangeOrder(a.order, b.order);
  return byOrder !== 0 ? byOrder > 0 : byArrival(a, b) > 0;
}

/** seq is a bigint in text, compared like a change order. */
function byArrival(a: PendingMembership, b: PendingMembership): number {
  return compareChangeOrder(a.seq, b.seq);
}
