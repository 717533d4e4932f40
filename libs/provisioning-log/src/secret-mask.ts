/** What the log shows in place of a value whose name says it is a credential. */
export const SECRET_MASK = '[Redacted]';

// Over-matching (a `tokenExpiry`) costs a hidden value; under-matching would store a credential.
const SECRET_NAME = /pass(?:word|wd|phrase)|pwd|secret|token|credential|api[-_]?key|private[-_]?key|authorization|cookie/i;

export function isSecretName(name: string): boolean {
  return SECRET_NAME.test(name);
}

/**
 * A copy of `value` in which every property named like a credential holds SECRET_MASK, at any depth.
 * Attribute values computed through Redact() already arrive as "[Redact]"; this catches what no
 * mapping marked: a GoTo error body echoing a password, a detail a producer should not have sent.
 */
export function maskSecrets<T>(value: T): T {
  if (Array.isArray(value)) return value.map((v: unknown) => maskSecrets(v)) as T;
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value).map(([k, v]) => [k, isSecretName(k) && v !== null && v !== undefined ? SECRET_MASK : maskSecrets(v)]),
  ) as T;
}
