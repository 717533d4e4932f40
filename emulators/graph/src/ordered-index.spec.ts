import { OrderedIndex } from './ordered-index';

describe('OrderedIndex', () => {
  const collect = (index: OrderedIndex, after: number) => {
    const seen: [string, number][] = [];
    index.scan(after, (id, key) => void seen.push([id, key]));
    return seen;
  };

  it('resumes after a cursor key, skipping deleted ids and moving re-added ones to the end', () => {
    const index = new OrderedIndex();
    ['a', 'b', 'c', 'd'].forEach((id) => index.add(id));
    index.delete('b');
    index.add('a');
    index.delete('c');
    index.add('c');
    expect(collect(index, 0)).toEqual([['a', 1], ['d', 4], ['c', 5]]);
    expect(collect(index, 1)).toEqual([['d', 4], ['c', 5]]);
  });

  it('stops when the visitor returns false, and keeps cursors valid across compaction', () => {
    const index = new OrderedIndex();
    for (let i = 0; i < 5000; i++) index.add(`u${i}`);
    const firstTwo: string[] = [];
    index.scan(0, (id) => firstTwo.push(id) < 2);
    expect(firstTwo).toEqual(['u0', 'u1']);

    for (let i = 0; i < 4000; i++) index.delete(`u${i}`);
    expect(index.size).toBe(1000);
    expect(collect(index, 4500).slice(0, 2)).toEqual([['u4500', 4501], ['u4501', 4502]]);
  });
});
