export interface Paged<T> {
  total: number;
  page: T[];
}

/**
 * One page of either the whole collection (`matches` undefined) or of the matches of an indexed
 * filter. `offset` counts from 0.
 */
export function pageOf<T>(
  all: { readonly size: number; page(offset: number, count: number): T[] },
  matches: readonly T[] | undefined,
  offset: number,
  count: number,
): Paged<T> {
  if (matches === undefined) return { total: all.size, page: all.page(offset, count) };
  return { total: matches.length, page: matches.slice(offset, offset + count) };
}
