import type { LicenseCheck, LicenseMappingConfig, TargetLicense } from '@roster/contracts';

/** Checks the configured license keys against the licenses the GoTo account has, with free seats. */
export function checkLicenseKeys(mapping: LicenseMappingConfig, account: readonly TargetLicense[]): LicenseCheck {
  const byKey = new Map(account.map((license) => [license.key, license]));
  const unknownKeys: LicenseCheck['unknownKeys'] = [];
  const roles = new Map<string, Set<string>>();
  for (const [role, keys] of Object.entries(mapping.byAppRole)) {
    keys.forEach((key, i) => {
      if (!byKey.has(key)) unknownKeys.push({ path: `licenses.byAppRole.${role}[${i}]`, key });
      else roles.set(key, (roles.get(key) ?? new Set()).add(role));
    });
  }
  const licenses = [...roles].map(([key, appRoles]) => {
    const { description, products, seats } = byKey.get(key)!;
    return {
      key,
      ...(description !== undefined ? { description } : {}),
      products,
      freeSeats: seats ? Math.max(0, seats.total - seats.used) : null,
      appRoles: [...appRoles].sort(),
    };
  });
  return { licenses, unknownKeys };
}
