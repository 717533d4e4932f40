import { licenseKeysOf } from '../admin/license-keys';
import type { LicenseConfig } from '../emulator-options';
import { ApiError } from '../http/api-error';
import { userSchemasOf } from '../scim/scim-resources';
import { SCIM_URN } from '../scim/scim-schemas';
import { validateResource, type ValidationContext } from '../scim/scim-validator';
import type { EmulatedUser, UserStore } from './user-store';

/** A user to put straight into the directory: SCIM attributes, plus the licenses only the Admin API sets. */
export interface SeedUser {
  userName: string;
  name: { givenName: string; familyName: string };
  externalId?: string;
  active?: boolean;
  displayName?: string;
  locale?: string;
  timezone?: string;
  /** Accepted only by an emulator told to (`undocumentedUserAttributes`), like the SCIM API. */
  emails?: { value: string; type?: string; primary?: boolean }[];
  title?: string;
  [SCIM_URN.enterpriseUser]?: { department?: string; employeeNumber?: string; costCenter?: string; division?: string };
  licenseKeys?: string[];
}

export interface GeneratedSeedOptions {
  /** Default 'example.com'. */
  domain?: string;
  /** Default 'user'. */
  prefix?: string;
  /** First sequence number. Default 1. */
  startAt?: number;
}

/** `count` distinct valid users, `user000001@example.com` onwards, externalId `ext-000001`. */
export function generateSeedUsers(count: number, options: GeneratedSeedOptions = {}): SeedUser[] {
  const { domain = 'example.com', prefix = 'user', startAt = 1 } = options;
  return Array.from({ length: count }, (_, index) => {
    const number = String(startAt + index).padStart(6, '0');
    return {
      userName: `${prefix}${number}@${domain}`,
      externalId: `ext-${number}`,
      name: { givenName: `Given${number}`, familyName: `Family${number}` },
      active: true,
    };
  });
}

/**
 * Validates every seed exactly as a SCIM POST would, then stores them all; nothing is stored
 * unless the whole batch is valid and free of userName clashes.
 */
export function seedUsers(
  store: UserStore,
  seeds: readonly SeedUser[],
  validation: ValidationContext,
  licenses: readonly LicenseConfig[],
): EmulatedUser[] {
  const prepared = seeds.map(({ licenseKeys, ...attributes }) => ({
    attributes: validateResource({ schemas: userSchemasOf(attributes), ...attributes }, validation.userResource, validation),
    licenseKeys: licenseKeys === undefined ? [] : licenseKeysOf(licenses, licenseKeys),
    userName: attributes.userName.toLowerCase(),
  }));
  const seen = new Set<string>();
  for (const { userName } of prepared) {
    if (seen.has(userName) || store.getByUserName(userName)) throw new ApiError(409, 'uniqueness', `userName '${userName}' is already in use`);
    seen.add(userName);
  }
  return prepared.map(({ attributes, licenseKeys }) => store.create(attributes, { licenseKeys }));
}
