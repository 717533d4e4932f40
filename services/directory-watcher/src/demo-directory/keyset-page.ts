/** A page cut from rows read with one more than `limit`: the extra row only tells that another page follows. */
export function keysetPage<T>(rows: T[], limit: number, keyOf: (row: T) => string): { items: T[]; nextCursor: string | null } {
  const items = rows.slice(0, limit);
  return { items, nextCursor: rows.length > limit ? keyOf(items.at(-1)!) : null };
}
