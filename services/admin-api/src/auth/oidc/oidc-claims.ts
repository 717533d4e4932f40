import type { AdminRole } from '@roster/contracts';

export interface RoleMapping {
  /** Where the roles are: a claim name, dots descending into objects (`realm_access.roles`). */
  claim: string;
  adminRoles: string[];
  readerRoles: string[];
}

/** The role values a token carries at the claim: an array of strings, or one space-separated string (OAuth `scope` style). */
export function rolesIn(claims: Record<string, unknown>, claim: string): string[] {
  const value = claim.split('.').reduce<unknown>((o, key) => (o !== null && typeof o === 'object' ? (o as Record<string, unknown>)[key] : undefined), claims);
  if (typeof value === 'string') return value.split(/\s+/).filter(Boolean);
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

/** `admin` when any admin role is present, else `reader` when a reader role is, else none. */
export function roleOf(claims: Record<string, unknown>, mapping: RoleMapping): AdminRole | undefined {
  const roles = rolesIn(claims, mapping.claim);
  if (roles.some((r) => mapping.adminRoles.includes(r))) return 'admin';
  if (roles.some((r) => mapping.readerRoles.includes(r))) return 'reader';
  return undefined;
}

/**
 * A name for the log and /auth/me: a person's user name, or for an application's token (client
 * credentials, no user) its client id as Entra (`azp`, `appid`) and others (`client_id`) put it.
 */
export function subjectNameOf(claims: Record<string, unknown>): string {
  for (const key of ['preferred_username', 'upn', 'email', 'name', 'azp', 'appid', 'client_id', 'sub']) {
    const value = claims[key];
    if (typeof value === 'string' && value.length > 0) return value.slice(0, 256);
  }
  return 'unknown subject';
}
