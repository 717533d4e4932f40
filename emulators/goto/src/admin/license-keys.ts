import type { LicenseConfig } from '../emulator-options';
import { ApiError } from '../http/api-error';

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
