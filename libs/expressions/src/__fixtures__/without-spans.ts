/** A parsed tree with every `span` removed, for comparing trees parsed from different text. */
export function withoutSpans(node: unknown): unknown {
  return JSON.parse(JSON.stringify(node, (key, value: unknown) => (key === 'span' ? undefined : value)));
}
