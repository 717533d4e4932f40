import type { LicenseMappingConfig } from '@roster/contracts';

/** Whether the job manages licenses at all: an empty map leaves every account's licenses alone. */
export function managesLicenses(mapping: LicenseMappingConfig | undefined): mapping is LicenseMappingConfig {
  return mapping !== undefined && Object.keys(mapping.byAppRole).length > 0;
}

/**
 * The license keys a user with these roles should hold: the union of its roles' keys, sorted. Null
 * when the job manages no licenses, or when the user's roles are not known (saved before roles were
 * kept): then the account's licenses are left as they are.
 */
export function desiredLicenses(mapping: LicenseMappingConfig | undefined, roles: readonly string[] | null): string[] | null {
  if (!managesLicenses(mapping) || roles === null) return null;
  return [...new Set(roles.flatMap((role) => mapping.byAppRole[role] ?? []))].sort();
}

/** Same set of keys, in any order; null (not managed) equals only null. */
export function sameLicenses(a: readonly string[] | null, b: readonly string[] | null): boolean {
  if (a === null || b === null) return a === b;
  const x = new Set(a);
  const y = new Set(b);
  return x.size === y.size && [...x].every((key) => y.has(key));
}
