import { DeltaMerger, type DeltaObject, type DeltaPage, type NetDeltaChange } from '@roster/graph-client';

export interface DeltaBatch<T extends DeltaObject> {
  changes: NetDeltaChange<T>[];
  /** Where the round goes on once this batch is applied: a nextLink, or on the last batch the new deltaLink. */
  link: string;
  last: boolean;
}

/**
 * Groups the pages of one delta round into batches of about `size` objects plus member changes,
 * folded by a DeltaMerger: replays of an object, and the `members@delta` slices of a big group
 * spread over consecutive pages, come out as one net change. A batch ends between pages, so its
 * link is exactly where a restart resumes once the batch is saved.
 */
export async function* deltaBatches<T extends DeltaObject>(
  pages: AsyncIterable<DeltaPage<T>>,
  size: number,
): AsyncGenerator<DeltaBatch<T>> {
  const merger = new DeltaMerger<T>();
  let weight = 0;
  for await (const page of pages) {
    const link = page.deltaLink ?? page.nextLink;
    if (link === undefined) throw new Error('A delta page carries neither a nextLink nor a deltaLink.');
    merger.add(page.items);
    weight += page.items.reduce((n, item) => n + 1 + (item['members@delta']?.length ?? 0), 0);
    const last = page.deltaLink !== undefined;
    if (last || weight >= size) {
      yield { changes: merger.drainAll(), link, last };
      weight = 0;
    }
  }
}
