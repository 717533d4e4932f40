/** One value of a (possibly multi-valued) attribute, once nulls and empty strings are set aside. */
export type Scalar = string | number | boolean;

const isPresent = (value: unknown): value is Scalar =>
  (typeof value === 'string' && value !== '') || typeof value === 'number' || typeof value === 'boolean';

/**
 * The values a clause looks at. Null, "" and an empty list all come out empty, which is what Entra
 * calls "null or empty"; empty entries of a list are dropped too, so `[""]` counts as empty. Anything
 * outside the declared value types is treated as absent rather than trusted, so evaluation cannot throw.
 */
export function valuesOf(actual: unknown): Scalar[] {
  return (Array.isArray(actual) ? actual : [actual]).filter(isPresent);
}

/** Booleans read as `true`/`false`, the form Graph returns them in, so EQUALS "true" works on accountEnabled. */
export const textOf = (value: Scalar): string => (typeof value === 'string' ? value : String(value));

// Lenient like .NET's Int32.Parse (sign, surrounding spaces) but unbounded, so long employee numbers compare exactly.
const INTEGER = /^\s*[+-]?\d+\s*$/;

/** The value as an integer, or undefined for anything else (decimals, "12a", booleans). */
export function integerOf(value: Scalar): bigint | undefined {
  if (typeof value === 'number') return Number.isInteger(value) ? BigInt(value) : undefined;
  if (typeof value === 'string' && INTEGER.test(value)) return BigInt(value.trim());
  return undefined;
}

/**
 * True/false for booleans and for the strings "true"/"false" in any case: .NET's Boolean.Parse accepts
 * any case and writes "True", and string directory extensions hold whatever the writer used.
 */
export function booleanOf(value: Scalar): boolean | undefined {
  if (typeof value === 'boolean') return value;
  if (typeof value !== 'string') return undefined;
  const word = value.trim().toLowerCase();
  return word === 'true' ? true : word === 'false' ? false : undefined;
}
