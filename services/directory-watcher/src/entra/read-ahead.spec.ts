import { readAhead } from './read-ahead';

describe('readAhead', () => {
  it('produces the next item while the consumer holds the current one', async () => {
    const produced: number[] = [];
    async function* source() {
      for (let i = 0; i < 3; i++) {
        produced.push(i);
        yield i;
      }
    }
    const items = readAhead(source());
    expect((await items.next()).value).toBe(0);
    await new Promise((resolve) => setImmediate(resolve));
    expect(produced).toEqual([0, 1]);
    const rest: number[] = [];
    for await (const item of items) rest.push(item);
    expect(rest).toEqual([1, 2]);
  });

  it('passes a failure on to the consumer at the item it concerns', async () => {
    async function* source() {
      yield 1;
      throw new Error('page 2 failed');
    }
    const seen: number[] = [];
    await expect(
      (async () => {
        for await (const item of readAhead(source())) seen.push(item);
      })(),
    ).rejects.toThrow('page 2 failed');
    expect(seen).toEqual([1]);
  });

  it('closes the source when the consumer stops early', async () => {
    let closed = false;
    async function* source() {
      try {
        for (let i = 0; ; i++) yield i;
      } finally {
        closed = true;
      }
    }
    for await (const item of readAhead(source())) if (item === 1) break;
    expect(closed).toBe(true);
  });
});
