import type { LicenseMappingConfig, TargetLicense } from '@roster/contracts';

/** A configured license as the account has it, for the admin who saves the mapping. */
export interface LicenseSeatReport {
  key: string;
  description?: string;
  products: string[];
  /** Seats still free, or null when GoTo did not say. */
  freeSeats: number | null;
  /** The app roles that give it. */
  appRoles: string[];
}

export interface LicenseCheck {
  /** Configured keys the account does not have, with where they are configured. */
  unknown: { path: string; key: string }[];
  licenses: LicenseSeatReport[];
}

/** Checks the configured license keys against the licenses the GoTo account has. */
export function checkLicenseKeys(mapping: LicenseMappingConfig, account: readonly TargetLicense[]): LicenseCheck {
  const byKey = new Map(account.map((license) => [license.key, license]));
  const unknown: LicenseCheck['unknown'] = [];
  const roles = new Map<string, string[]>();
  for (const [role, keys] of Object.entries(mapping.byAppRole)) {
    keys.forEach((key, i) => {
      if (!byKey.has(key)) unknown.push({ path: `licenses.byAppRole.${role}[${i}]`, key });
      else roles.set(key, [...(roles.get(key) ?? []), role]);
    });
  }
  const licenses = [...roles].map(([key, appRoles]) => {
    const license = byKey.get(key)!;
    return {
      key,
      ...(license.description !== undefined ? { description: license.description } : {}),
      products: license.products,
      freeSeats: license.seats ? Math.max(0, license.seats.total - license.seats.used) : null,
      appRoles: [...new Set(appRoles)].sort(),
    };
  });
  return { unknown, licenses };
}
