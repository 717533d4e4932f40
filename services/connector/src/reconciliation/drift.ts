import type { Attributes, AttributeValue } from '@roster/contracts';
import { isDeepStrictEqual } from 'node:util';
import { isKeptAsHash } from '../accounts/applied-state';
import type { ListedGroup, TargetAccount, TargetGroupRef } from '../goto/target-connector';

/** A user whose desired state includes an account in the target, and the account Roster linked it to. */
export interface DesiredAccount {
  userId: string;
  accountId: string;
  /** Desired attributes by mapping path, without those computed through Redact() (older rows keep them as a hash, never compared). */
  attributes: Attributes;
  active: boolean;
  /** The user's newest change order the connector applied: repairs are commands of that order. */
  order: string;
}

/** The newest membership Roster wants for one user in one group (added or removed). */
export interface DesiredMembership {
  userId: string;
  group: TargetGroupRef;
  member: boolean;
}

export type ListedAccount = Pick<TargetAccount, 'id' | 'active' | 'attributes'>;

export type Repair =
  /** The account is gone from the target: created again (or adopted, when one of its name exists). */
  | { kind: 'recreate'; userId: string; accountId: string }
  /** Attributes differ (`active` among them when it must be re-enabled). */
  | { kind: 'update'; userId: string; accountId: string; changed: string[] }
  /** Active in the target, disabled in the desired state, and nothing else differs. */
  | { kind: 'disable'; userId: string; accountId: string }
  | { kind: 'add-member'; userId: string; accountId: string; group: TargetGroupRef }
  | { kind: 'remove-member'; userId: string; accountId: string; group: TargetGroupRef }
  /** A member of a Roster group that is no account of Roster's: no command can name it. */
  | { kind: 'remove-stranger'; accountId: string; group: TargetGroupRef; groupId: string };

export interface DriftInput {
  desired: readonly DesiredAccount[];
  memberships: readonly DesiredMembership[];
  accounts: readonly ListedAccount[];
  groups: readonly ListedGroup[];
  /** Attributes whose values the target compares ignoring case (GoTo: userName). */
  caseInsensitive: ReadonlySet<string>;
}

export interface DriftReport {
  repairs: Repair[];
  /** Accounts Roster never managed: left alone, reported. */
  unmanaged: ListedAccount[];
}

/** A group's identity in the target is its display name, regardless of case. */
const keyOf = (displayName: string) => displayName.toLowerCase();
const userNameKey = (attributes: Attributes) => (typeof attributes['userName'] === 'string' ? attributes['userName'].toLowerCase() : undefined);

/**
 * Compares the target's accounts and groups with the desired state and lists the repairs that make
 * them equal. Only groups Roster has recorded a membership in are compared: a group Roster never
 * touched is not its to empty. A user whose account must be created again is left out of the
 * membership repairs: its new account's id is not known until it exists.
 */
export function planRepairs(input: DriftInput): DriftReport {
  const listed = new Map(input.accounts.map((a) => [a.id, a]));
  const repairs: Repair[] = [];
  const recreated = new Set<string>();
  for (const desired of input.desired) {
    const account = listed.get(desired.accountId);
    const repair = account ? accountRepair(desired, account, input.caseInsensitive) : ({ kind: 'recreate', userId: desired.userId, accountId: desired.accountId } as const);
    if (repair) repairs.push(repair);
    if (!account) recreated.add(desired.userId);
  }
  repairs.push(...membershipRepairs(input, recreated));
  const linked = new Set(input.desired.map((d) => d.accountId));
  // An account of the name of one that vanished is adopted by its re-creation, not Roster's stranger.
  const adoptable = new Set(input.desired.filter((d) => recreated.has(d.userId)).map((d) => userNameKey(d.attributes)));
  const unmanaged = input.accounts.filter((a) => !linked.has(a.id) && !adoptable.has(userNameKey(a.attributes)));
  return { repairs, unmanaged };
}

function accountRepair(desired: DesiredAccount, account: ListedAccount, caseInsensitive: ReadonlySet<string>): Repair | null {
  const changed = Object.keys(desired.attributes).filter(
    (path) => path !== 'active' && !isKeptAsHash(desired.attributes[path]) && !sameValue(desired.attributes[path], account.attributes[path], caseInsensitive.has(path)),
  );
  const { userId, accountId } = desired;
  if (desired.active && !account.active) return { kind: 'update', userId, accountId, changed: [...changed, 'active'] };
  if (changed.length > 0) return { kind: 'update', userId, accountId, changed };
  if (!desired.active && account.active) return { kind: 'disable', userId, accountId };
  return null;
}

/** Absent and null are the same (SCIM leaves unset attributes out). */
function sameValue(wanted: AttributeValue | undefined, held: AttributeValue | undefined, ignoreCase: boolean): boolean {
  const a = wanted ?? null;
  const b = held ?? null;
  if (ignoreCase && typeof a === 'string' && typeof b === 'string') return a.toLowerCase() === b.toLowerCase();
  return isDeepStrictEqual(a, b);
}

function membershipRepairs(input: DriftInput, recreated: ReadonlySet<string>): Repair[] {
  const accountOf = new Map(input.desired.map((d) => [d.userId, d.accountId]));
  const userOf = new Map(input.desired.map((d) => [d.accountId, d.userId]));
  const listedGroups = new Map(input.groups.map((g) => [keyOf(g.displayName), g]));
  const byGroup = new Map<string, { group: TargetGroupRef; wanted: Map<string, boolean> }>();
  for (const m of input.memberships) {
    const key = keyOf(m.group.displayName);
    const entry = byGroup.get(key) ?? { group: m.group, wanted: new Map<string, boolean>() };
    entry.wanted.set(m.userId, m.member);
    byGroup.set(key, entry);
  }
  const repairs: Repair[] = [];
  for (const [key, { group, wanted }] of byGroup) {
    const members = new Set(listedGroups.get(key)?.members ?? []);
    for (const [userId, member] of wanted) {
      const accountId = accountOf.get(userId);
      if (!member || accountId === undefined || recreated.has(userId) || members.has(accountId)) continue;
      repairs.push({ kind: 'add-member', userId, accountId, group });
    }
    const groupId = listedGroups.get(key)?.id;
    for (const accountId of members) {
      const userId = userOf.get(accountId);
      if (userId === undefined) repairs.push({ kind: 'remove-stranger', accountId, group, groupId: groupId! });
      else if (wanted.get(userId) !== true) repairs.push({ kind: 'remove-member', userId, accountId, group });
    }
  }
  return repairs;
}
