import type { EmulatedUser, UserStore } from '../directory/user-store';
import type { LicenseConfig } from '../emulator-options';
import { ApiError } from '../http/api-error';
import type { JsonObject } from '../http/http-io';

/**
 * License keys are documented as JSON numbers, but they exceed 2^53: a number that JSON.parse could
 * not hold exactly is refused, because the key it names is not the key the client meant.
 */
export function licenseKeysOf(licenses: readonly LicenseConfig[], value: unknown): string[] {
  if (!Array.isArray(value)) throw new ApiError(400, undefined, "'licenseKeys' must be an array");
  return value.map((key) => {
    if (typeof key === 'number' && !Number.isSafeInteger(key)) {
      throw new ApiError(400, undefined, `license key ${key} lost precision as a JSON number; send keys as strings`);
    }
    if (typeof key !== 'string' && typeof key !== 'number') throw new ApiError(400, undefined, "'licenseKeys' must hold keys");
    const text = String(key);
    if (!licenses.some((license) => license.key === text)) throw new ApiError(400, undefined, `unknown license key '${text}'`);
    return text;
  });
}

/**
 * A user may take a license only while it has a free seat; keeping one it holds needs none. [I] GoTo
 * documents no refusal for this: the emulator answers 409 with the Admin error body naming the key
 * and the seat count, and assigns nothing of the request (strict: a client must not rely on a
 * partial assignment).
 */
export function assertSeatsFor(licenses: readonly LicenseConfig[], users: UserStore, user: EmulatedUser, keys: readonly string[]): void {
  for (const key of new Set(keys)) {
    if (user.licenseKeys.includes(key)) continue;
    const seats = licenses.find((license) => license.key === key)?.seats;
    const used = users.seatsUsed(key);
    if (seats !== undefined && used >= seats) {
      throw new ApiError(409, undefined, `no seats left on license '${key}' (${used} of ${seats} in use)`);
    }
  }
}

/** `GET /licenses` entry. [I] The seat counts' shape is a guess: `seats: {total, used}`, only for licenses with a seat limit. */
export function licenseView(license: LicenseConfig, users: UserStore): JsonObject {
  const { seats, ...rest } = license;
  return { ...rest, ...(seats === undefined ? {} : { seats: { total: seats, used: users.seatsUsed(license.key) } }) };
}
