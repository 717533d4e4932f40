import { batchIdOf, slicesOf } from './message-batches';

describe('message batches', () => {
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
