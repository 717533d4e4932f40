/** An item the store refused on its own, and why. */
export interface RefusedItem<T> {
  item: T;
  /** Its position in the list given to storeNarrowing. */
  index: number;
  error: unknown;
}

/**
 * Stores `items` with as few calls as it can: one, unless the store refuses the batch for something
 * a retry cannot fix (`refusesItem`, e.g. a row PostgreSQL cannot hold). Then the batch is halved,
 * and halved again, until the refused items are alone: every other item is still stored, at a cost
 * of about 2·k·log2(n) calls for k refused items among n. Any other failure is thrown as it is, so
 * the caller retries the whole batch as before.
 */
export async function storeNarrowing<T>(
  items: readonly T[],
  store: (items: T[]) => Promise<void>,
  refusesItem: (error: unknown) => boolean,
): Promise<RefusedItem<T>[]> {
  const refused: RefusedItem<T>[] = [];
  const pending: { from: number; to: number }[] = [{ from: 0, to: items.length }];
  while (pending.length > 0) {
    const { from, to } = pending.pop()!;
    if (from === to) continue;
    try {
      await store(items.slice(from, to));
    } catch (error) {
      if (!refusesItem(error)) throw error;
      if (to - from === 1) {
        refused.push({ item: items[from]!, index: from, error });
        continue;
      }
      const middle = from + Math.ceil((to - from) / 2);
      pending.push({ from: middle, to }, { from, to: middle });
    }
  }
  return refused.sort((a, b) => a.index - b.index);
}
