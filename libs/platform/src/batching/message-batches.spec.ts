import { batchIdOf, groupedBy, slicesOf } from './message-batches';

describe('message batches', () => {
  it('groups items by key, each group in the order given and the groups in order of first appearance', () => {
    const items = [{ k: 'b', n: 1 }, { k: 'a', n: 2 }, { k: 'b', n: 3 }];
    expect([...groupedBy(items, (i) => i.k)].map(([k, group]) => [k, group.map((i) => i.n)])).toEqual([['b', [1, 3]], ['a', [2]]]);
    expect(groupedBy([], String).size).toBe(0);
  });

  it('slices a list into consecutive parts of at most the given size', () => {
    expect(slicesOf([1, 2, 3, 4, 5], 2)).toEqual([[1, 2], [3, 4], [5]]);
    expect(slicesOf([], 2)).toEqual([]);
  });

  it('derives the same id from the same items, and another from other items or another order', () => {
    expect(batchIdOf('events', ['a', 'b'])).toBe(batchIdOf('events', ['a', 'b']));
    expect(batchIdOf('events', ['a', 'b'])).not.toBe(batchIdOf('events', ['b', 'a']));
    expect(batchIdOf('events', ['a'])).toMatch(/^events-[\w-]+$/);
  });
});
