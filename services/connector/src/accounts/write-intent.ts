import type { Attributes, AttributeValue } from '@roster/contracts';
import { isDeepStrictEqual } from 'node:util';

/**
 * What a write to an account means it to hold afterwards: enough to tell, by reading the account,
 * whether a write whose answer was never stored landed.
 */
export interface WriteIntent {
  /** false: the write deletes the account. */
  present: boolean;
  /** The values the write sets (null: removes). Values computed through Redact() are left out: GoTo never shows them. */
  values: Attributes;
  /** The write creates the account: one GoTo did not hold when read back may still land later (see WriteMarks). */
  creates?: true;
}

/** Absent, null and "" all say "no value" (SCIM leaves unset attributes out). */
const none = (value: AttributeValue | undefined): boolean => value === null || value === undefined || value === '';

/** The intent of a write sending `sent` of `attributes`. */
export function intentOf(attributes: Attributes, sent: readonly string[], redacted: readonly string[]): WriteIntent {
  const values = Object.fromEntries(sent.filter((k) => !redacted.includes(k)).map((k) => [k, attributes[k] ?? null]));
  return { present: true, values };
}

export const DELETE_INTENT: WriteIntent = { present: false, values: {} };

/**
 * Whether `account` (null: none) holds what the write meant. A write with no value GoTo would show
 * (only redacted ones) cannot be told apart from one that never landed: it counts as not landed,
 * so it is sent again rather than logged as done. `caseInsensitive`: attributes GoTo compares
 * ignoring case (userName).
 */
export function intentHolds(intent: WriteIntent, account: { attributes: Attributes } | null, caseInsensitive: ReadonlySet<string>): boolean {
  if (!intent.present) return account === null;
  const paths = Object.keys(intent.values);
  if (account === null || paths.length === 0) return false;
  return paths.every((path) => sameValue(intent.values[path], account.attributes[path], caseInsensitive.has(path)));
}

function sameValue(wanted: AttributeValue | undefined, held: AttributeValue | undefined, ignoreCase: boolean): boolean {
  if (none(wanted) || none(held)) return none(wanted) && none(held);
  if (ignoreCase && typeof wanted === 'string' && typeof held === 'string') return wanted.toLowerCase() === held.toLowerCase();
  return isDeepStrictEqual(wanted, held);
}
