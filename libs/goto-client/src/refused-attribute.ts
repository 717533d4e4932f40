/** SCIM error types (RFC 7644 §3.12) that blame a particular attribute of the request. */
const ATTRIBUTE_ERRORS: ReadonlySet<string> = new Set(['invalidValue', 'invalidPath', 'noTarget', 'mutability', 'uniqueness']);

/** `Unknown attribute "title"`, `path 'title' is not a known attribute path`, `attribute: title`. */
const NAMED = /\b(?:attribute|path)\s*:?\s*(?:"((?:[^"\\]|\\.)+)"|'([^']+)'|([A-Za-z][\w.:$-]*))/i;
/** `'name.givenName' is required`: a quoted path at the start of the detail. */
const LEADING_QUOTED = /^\s*(?:"((?:[^"\\]|\\.)+)"|'([^']+)')/;

/**
 * The attribute a SCIM 400 blames, from its `detail` text (SCIM has no field for it), so a refusal
 * can be traced to the mapping that sends it. Undefined when the error names none.
 */
export function refusedAttributeOf(body: unknown): string | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const { scimType, detail } = body as Record<string, unknown>;
  if (typeof detail !== 'string' || (typeof scimType === 'string' && !ATTRIBUTE_ERRORS.has(scimType))) return undefined;
  const match = NAMED.exec(detail) ?? LEADING_QUOTED.exec(detail);
  return match?.slice(1).find((group) => group !== undefined);
}
