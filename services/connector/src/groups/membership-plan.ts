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
}

export interface MembershipPlan<T extends PendingMembership> {
  /** Changes a newer change of the same user to the same group overrides: never sent. */
  superseded: { change: T; by: T }[];
  /** What to send, in requests of at most `perRequest` member references. */
  requests: T[][];
}

/**
 * Turns the pending changes of one group into as few requests as GoTo allows. Only each user's
 * newest change is sent, so a remove can never be overtaken by the add it follows (or the reverse).
 */
export function planMembershipChanges<T extends PendingMembership>(pending: readonly T[], perRequest: number): MembershipPlan<T> {
  const newest = new Map<string, T>();
  for (const change of pending) {
    const current = newest.get(change.userId);
    if (!current || isNewer(change, current)) newest.set(change.userId, change);
  }
  const winners = [...newest.values()].sort(byArrival);
  const superseded = pending.filter((c) => newest.get(c.userId) !== c).map((c) => ({ change: c, by: newest.get(c.userId)! }));
  const requests: T[][] = [];
  for (let i = 0; i < winners.length; i += perRequest) requests.push(winners.slice(i, i + perRequest));
  return { superseded, requests };
}

function isNewer(a: PendingMembership, b: PendingMembership): boolean {
  const byOrder = compareChangeOrder(a.order, b.order);
  return byOrder !== 0 ? byOrder > 0 : byArrival(a, b) > 0;
}

/** seq is a bigint in text, compared like a change order. */
function byArrival(a: PendingMembership, b: PendingMembership): number {
  return compareChangeOrder(a.seq, b.seq);
}
