import type { Attributes } from '@roster/contracts';
import { createHash } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';

const hashOf = (value: unknown) => `sha256:${createHash('sha256').update(JSON.stringify(value)).digest('hex')}`;

/** A value kept only as its hash (computed through Redact()): it cannot be sent or compared with the target's. */
export const isKeptAsHash = (value: unknown): boolean => typeof value === 'string' && /^sha256:[0-9a-f]{64}$/.test(value);

/**
 * What Roster keeps of the attributes it wrote to an account. Values computed through Redact() are
 * kept only as a hash: enough to tell whether they changed, without storing the secret.
 */
export function appliedStateOf(attributes: Attributes, redacted: readonly string[]): Attributes {
  return Object.fromEntries(Object.entries(attributes).map(([k, v]) => [k, redacted.includes(k) ? hashOf(v) : v]));
}

/** Attributes whose desired value differs from what was last written. */
export function driftedAttributes(desired: Attributes, applied: Attributes, redacted: readonly string[]): string[] {
  const kept = appliedStateOf(desired, redacted);
  return Object.keys(kept).filter((k) => !isDeepStrictEqual(kept[k], applied[k]));
}
