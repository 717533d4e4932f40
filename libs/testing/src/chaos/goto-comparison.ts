import type { EmulatedGroup, EmulatedUser } from '@roster/goto-emulator';
import { MismatchReport } from './mismatch-report';
import { withoutUndefined, type FlatAccount, type Oracle } from './oracle';

const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';

type Json = Record<string, unknown>;
const text = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);

/** A GoTo account as the oracle describes accounts: the mapped attributes only. */
export function flatAccountOf(account: EmulatedUser): FlatAccount {
  const a = account.attributes as Json;
  const name = (a['name'] ?? {}) as Json;
  const enterprise = (a[ENTERPRISE] ?? {}) as Json;
  return withoutUndefined({
    userName: account.userName,
    externalId: account.externalId,
    active: account.active,
    givenName: text(name['givenName']),
    familyName: text(name['familyName']),
    displayName: text(a['displayName']),
    department: text(enterprise['department']),
    employeeNumber: text(enterprise['employeeNumber']),
  });
}

export interface GotoState {
  users: EmulatedUser[];
  groups: EmulatedGroup[];
}

/** Accounts (attributes, active flags, duplicates, unmanaged ones) and group members, apart. */
export interface GotoComparison {
  accounts: MismatchReport;
  groups: MismatchReport;
}

export interface ComparisonOptions {
  /** Accounts Roster never managed (lower-case userNames): they must be left exactly as they were. */
  unmanaged?: ReadonlyMap<string, FlatAccount>;
}

/**
 * GoTo's state against the oracle: every active account exactly as mapped, no account for a user
 * out of scope unless inactive, no account for a user the directory no longer has, no duplicate;
 * and, reported apart, each assigned group holding exactly its in-scope members.
 */
export function compareWithGoto(oracle: Oracle, goto: GotoState, options: ComparisonOptions = {}): GotoComparison {
  const report = new MismatchReport();
  const unmanaged = options.unmanaged ?? new Map<string, FlatAccount>();
  const byExternalId = new Map<string, EmulatedUser[]>();
  const userNameOf = new Map<string, string>();
  for (const account of goto.users) {
    userNameOf.set(account.id, account.userName.toLowerCase());
    const expectedUnmanaged = unmanaged.get(account.userName.toLowerCase());
    if (expectedUnmanaged) {
      const differs = diffAttributes(expectedUnmanaged, flatAccountOf(account));
      if (differs.length) report.add('unmanaged account changed', `${account.userName}: ${differs.join(', ')}`);
      continue;
    }
    const key = account.externalId ?? `(no externalId) ${account.userName}`;
    byExternalId.set(key, [...(byExternalId.get(key) ?? []), account]);
  }
  for (const userName of unmanaged.keys()) {
    if (!goto.users.some((a) => a.userName.toLowerCase() === userName)) report.add('unmanaged account removed', userName);
  }
  for (const [externalId, accounts] of byExternalId) {
    if (accounts.length > 1) report.add('duplicate accounts', `${externalId}: ${accounts.map((a) => a.userName).join(', ')}`);
    const expected = oracle.active.get(externalId);
    if (expected) {
      const differs = diffAttributes(expected, flatAccountOf(accounts[0]));
      for (const attribute of differs) report.add(`wrong ${attribute.split(' ')[0]}`, `${accounts[0].userName}: ${attribute}`);
    } else if (oracle.inactiveOrAbsent.has(externalId)) {
      for (const account of accounts) if (account.active) report.add('active but out of scope', account.userName);
    } else {
      report.add('account of no directory user (hard-deleted or unknown)', `${accounts[0].userName} (${externalId})`);
    }
  }
  for (const [externalId, expected] of oracle.active) {
    if (!byExternalId.has(externalId)) report.add('missing account', expected.userName);
  }
  return { accounts: report, groups: compareGroups(oracle, goto.groups, userNameOf) };
}

function compareGroups(oracle: Oracle, groups: EmulatedGroup[], userNameOf: Map<string, string>): MismatchReport {
  const report = new MismatchReport();
  const seen = new Set<string>();
  for (const group of groups) {
    const directoryId = group.externalId ?? [...oracle.groups].find(([, g]) => g.displayName === group.displayName)?.[0];
    const expected = directoryId ? oracle.groups.get(directoryId) : undefined;
    if (directoryId) seen.add(directoryId);
    const members = new Set([...group.members].map((id) => userNameOf.get(id) ?? id));
    const want = expected?.members ?? new Set<string>();
    for (const member of members) if (!want.has(member)) report.add('extra group member', `${group.displayName}: ${member}`);
    for (const member of want) if (!members.has(member)) report.add('missing group member', `${group.displayName}: ${member}`);
  }
  for (const [id, expected] of oracle.groups) {
    if (seen.has(id)) continue;
    for (const member of expected.members) report.add('missing group member', `${expected.displayName} (no GoTo group): ${member}`);
  }
  return report;
}

/** `attribute expected → actual` for each mapped attribute that differs. */
function diffAttributes(expected: FlatAccount, actual: FlatAccount): string[] {
  const keys = new Set([...Object.keys(expected), ...Object.keys(actual)]) as Set<keyof FlatAccount>;
  return [...keys]
    .filter((k) => expected[k] !== actual[k])
    .map((k) => `${k} ${JSON.stringify(expected[k])} → ${JSON.stringify(actual[k])}`);
}
