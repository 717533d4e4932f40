import type { DirectorySnapshot, DirectoryUser } from './directory-snapshot';

/**
 * A GoTo account reduced to what the default mapping decides, one flat field per mapped attribute
 * (absent when the directory value is null or empty): userName ← userPrincipalName, externalId ←
 * objectId, active ← accountEnabled, name.givenName ← givenName, name.familyName ← surname,
 * displayName, enterprise department ← department, enterprise employeeNumber ← employeeId. GoTo
 * documents no title or work e-mail, so the default mapping sends neither.
 */
export interface FlatAccount {
  userName: string;
  externalId?: string;
  active: boolean;
  givenName?: string;
  familyName?: string;
  displayName?: string;
  department?: string;
  employeeNumber?: string;
}

/** What GoTo must hold, computed from the directory alone (written apart from libs/mapping on purpose). */
export interface Oracle {
  /** In scope and enabled: the account must exist with exactly these values. Keyed by externalId. */
  active: Map<string, FlatAccount>;
  /**
   * Known to the directory but not to be active (unassigned, out of scope through a group, soft
   * deleted, disabled): no account, or an inactive one. A user unassigned before any account
   * existed may stay absent. Keyed by externalId.
   */
  inactiveOrAbsent: Set<string>;
  /** Assigned groups by directory id: the userNames of their in-scope, enabled direct members. */
  groups: Map<string, { displayName: string; members: Set<string> }>;
}

const present = (value: string | null): string | undefined => (value === null || value === '' ? undefined : value);

function expectedAccount(u: DirectoryUser): FlatAccount {
  const account: FlatAccount = {
    userName: u.userPrincipalName,
    externalId: u.id,
    active: u.accountEnabled,
    givenName: present(u.givenName),
    familyName: present(u.surname),
    displayName: present(u.displayName),
    department: present(u.department),
    employeeNumber: present(u.employeeId),
  };
  return withoutUndefined(account);
}

export function withoutUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

/** Scope as Entra's "assigned users and groups": assigned directly, or a direct member of an assigned group. */
export function oracleOf(directory: DirectorySnapshot): Oracle {
  const memberOfAssigned = new Set<string>();
  for (const group of directory.groups) {
    if (directory.assigned.has(group.id)) for (const member of group.members) memberOfAssigned.add(member);
  }
  const active = new Map<string, FlatAccount>();
  const inactiveOrAbsent = new Set<string>();
  const activeUserNames = new Map<string, string>();
  for (const user of directory.users) {
    const inScope = !user.softDeleted && (directory.assigned.has(user.id) || memberOfAssigned.has(user.id));
    if (inScope && user.accountEnabled) {
      active.set(user.id, expectedAccount(user));
      activeUserNames.set(user.id, user.userPrincipalName.toLowerCase());
    } else {
      inactiveOrAbsent.add(user.id);
    }
  }
  const groups = new Map<string, { displayName: string; members: Set<string> }>();
  for (const group of directory.groups) {
    if (!directory.assigned.has(group.id)) continue;
    const members = new Set(group.members.flatMap((id) => activeUserNames.get(id) ?? []));
    groups.set(group.id, { displayName: group.displayName, members });
  }
  return { active, inactiveOrAbsent, groups };
}
