import type { AttributeValue, Attributes } from '@roster/contracts';

/** The user properties the default mapping reads (libs/mapping); ENTRA_SELECT adds to them. */
export const DEFAULT_USER_SELECT = [
  'userPrincipalName',
  'mail',
  'givenName',
  'surname',
  'displayName',
  'accountEnabled',
  'jobTitle',
  'department',
  'employeeId',
] as const;

export function userSelect(extra: readonly string[] = []): string[] {
  return [...new Set([...DEFAULT_USER_SELECT, ...extra])];
}

type Scalar = string | number | boolean;
const isScalar = (v: unknown): v is Scalar => ['string', 'number', 'boolean'].includes(typeof v);

/**
 * A Graph user as the mirror keeps it. Unset and null properties are left out alike (Graph omits a
 * never-set property but sends one cleared by a change as null), so both read the same downstream.
 * Complex values such as `onPremisesExtensionAttributes` become `parent.child` entries, since events
 * carry flat attributes only.
 */
export function toUserState(properties: Readonly<Record<string, unknown>>): { attributes: Attributes; accountEnabled: boolean } {
  const attributes: Attributes = {};
  for (const [name, value] of Object.entries(properties)) {
    if (name === 'id' || name.includes('@')) continue;
    const attribute = toAttribute(value);
    if (attribute !== undefined) attributes[name] = attribute;
    else if (isPlainObject(value)) {
      for (const [child, inner] of Object.entries(value)) if (isScalar(inner)) attributes[`${name}.${child}`] = inner;
    }
  }
  // Graph reports accountEnabled for every user; a missing one cannot mean "blocked".
  return { attributes, accountEnabled: properties.accountEnabled !== false };
}

function toAttribute(value: unknown): AttributeValue | undefined {
  if (isScalar(value)) return value;
  if (Array.isArray(value) && value.every(isScalar)) return value;
  return undefined;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
