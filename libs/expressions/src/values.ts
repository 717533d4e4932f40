/** A role as AppRoleAssignmentsComplex sends it in a SCIM `roles` attribute. */
export interface ScimRole {
  readonly primary: boolean;
  readonly type: 'WindowsAzureActiveDirectoryRole';
  readonly display: string;
  readonly value: string;
}

/**
 * What an expression evaluates to. Dates travel as text in Entra's `M/d/yyyy h:mm:ss tt` (UTC) form,
 * as CDate, DateAdd and Now are documented to return; multi-valued attributes are string arrays.
 */
export type ExpressionValue = string | number | boolean | null | readonly string[] | readonly ScimRole[];

/** An absent attribute; a multi-valued attribute with no values is absent too (Graph returns `[]`). */
export function isNullValue(value: ExpressionValue): value is null | readonly [] {
  return value === null || (Array.isArray(value) && value.length === 0);
}

export function isNullOrEmpty(value: ExpressionValue): boolean {
  return isNullValue(value) || value === '';
}

/** Text of a single value the way .NET prints it with the invariant culture: `True`, `7`, `1.5`. */
export function scalarText(value: string | number | boolean): string {
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  return String(value);
}

/**
 * The value as Entra shows it in provisioning logs and documented outputs: booleans as True/False,
 * numbers in invariant form, multi-valued attributes as a JSON array; null stays null.
 */
export function formatValue(value: ExpressionValue): string | null {
  if (value === null) return null;
  if (Array.isArray(value)) return JSON.stringify(value);
  return scalarText(value as string | number | boolean);
}

const NUMERIC_TEXT = /^\s*[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?\s*$/;

/** A number, or numeric text (attribute values are mostly text); NaN for anything else. */
export function toNumber(value: ExpressionValue): number {
  if (typeof value === 'number') return value;
  return typeof value === 'string' && NUMERIC_TEXT.test(value) ? Number(value) : Number.NaN;
}

export function describeKind(value: ExpressionValue): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a multi-valued attribute';
  return `a ${typeof value}`;
}
