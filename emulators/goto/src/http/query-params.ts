import { ApiError } from './api-error';

export function integerParam(query: URLSearchParams, name: string): number | undefined {
  const raw = query.get(name);
  if (raw === null) return undefined;
  if (!/^-?\d+$/.test(raw)) throw new ApiError(400, 'invalidValue', `query parameter '${name}' must be an integer`);
  return Number(raw);
}

/** Unknown query parameters are refused, so a misspelt `startindex` cannot silently return page one. */
export function rejectUnknownParams(query: URLSearchParams, allowed: readonly string[]): void {
  for (const name of query.keys()) {
    if (!allowed.includes(name)) {
      throw new ApiError(400, 'invalidSyntax', `query parameter '${name}' is not supported here (supported: ${allowed.join(', ') || 'none'})`);
    }
  }
}
