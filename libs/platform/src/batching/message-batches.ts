import { hash } from 'node:crypto';

/** `items` by the key each has, each group in the order given (Node 20 has no Map.groupBy). */
export function groupedBy<T>(items: readonly T[], keyOf: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const group = groups.get(keyOf(item));
    if (group) group.push(item);
    else groups.set(keyOf(item), [item]);
  }
  return groups;
}

/** `items` in consecutive slices of at most `size`. */
export function slicesOf<T>(items: readonly T[], size: number): T[][] {
  const slices: T[][] = [];
  for (let i = 0; i < items.length; i += size) slices.push(items.slice(i, i + size));
  return slices;
}

/**
 * A batch's id, derived from the ids of what it holds: the same messages batched again (a step
 * repeated after a crash) make the same id, which the queue stores once.
 */
export function batchIdOf(prefix: string, itemIds: readonly string[]): string {
  return `${prefix}-${hash('sha1', itemIds.join('\n'), 'base64url')}`;
}
