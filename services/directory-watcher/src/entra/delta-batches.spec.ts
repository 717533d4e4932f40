import type { DeltaObject, DeltaPage } from '@roster/graph-client';
import { deltaBatches } from './delta-batches';

async function* pagesOf(pages: DeltaPage<DeltaObject>[]) {
  yield* pages;
}

const collect = async <T>(batches: AsyncIterable<T>) => {
  const all: T[] = [];
  for await (const batch of batches) all.push(batch);
  return all;
};

describe('deltaBatches', () => {
  it('cuts batches between pages once they reach the size, each with the link to resume after it', async () => {
    const pages: DeltaPage<DeltaObject>[] = [
      { items: [{ id: 'a' }, { id: 'b' }], nextLink: 'next-1' },
      { items: [{ id: 'b', displayName: 'B' }, { id: 'c' }], nextLink: 'next-2' },
      { items: [], nextLink: 'next-3' },
      { items: [{ id: 'd' }], deltaLink: 'delta' },
    ];
    const batches = await collect(deltaBatches(pagesOf(pages), 3));
    expect(batches.map((b) => [b.changes.map((c) => c.id), b.link, b.last])).toEqual([
      [['a', 'b', 'c'], 'next-2', false],
      [['d'], 'delta', true],
    ]);
    expect(batches[0].changes[1].properties).toEqual({ id: 'b', displayName: 'B' });
  });

  it('counts member changes towards the size and merges slices of a group within a batch', async () => {
    const member = (id: string) => ({ '@odata.type': '#microsoft.graph.user', id });
    const pages: DeltaPage<DeltaObject>[] = [
      { items: [{ id: 'g', 'members@delta': [member('u1'), member('u2')] }], nextLink: 'next-1' },
      { items: [{ id: 'g', 'members@delta': [member('u3')] }], nextLink: 'next-2' },
      { items: [{ id: 'g', 'members@delta': [member('u4')] }], deltaLink: 'delta' },
    ];
    const batches = await collect(deltaBatches(pagesOf(pages), 4));
    expect(batches.map((b) => b.changes.map((c) => c.members?.map((m) => m.id)))).toEqual([[['u1', 'u2', 'u3']], [['u4']]]);
  });
});
