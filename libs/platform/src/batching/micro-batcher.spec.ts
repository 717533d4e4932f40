import { MicroBatcher } from './micro-batcher';

describe('MicroBatcher', () => {
  it('flushes items that arrive together as one batch and resolves each add', async () => {
    const batches: number[][] = [];
    const b = new MicroBatcher<number>(async (items) => void batches.push(items), { maxItems: 100, lingerMs: 5 });
    await Promise.all([b.add(1), b.add(2), b.add(3)]);
    expect(batches).toEqual([[1, 2, 3]]);
  });

  it('flushes at once when the batch is full', async () => {
    const batches: number[][] = [];
    const b = new MicroBatcher<number>(async (items) => void batches.push(items), { maxItems: 2, lingerMs: 10_000 });
    await Promise.all([b.add(1), b.add(2)]);
    expect(batches).toEqual([[1, 2]]);
  });

  it('rejects every add of a failed batch, and later batches still go through', async () => {
    let fail = true;
    const b = new MicroBatcher<number>(
      async () => {
        if (fail) throw new Error('redis down');
      },
      { maxItems: 10, lingerMs: 1 },
    );
    await expect(Promise.all([b.add(1), b.add(2)])).rejects.toThrow('redis down');
    fail = false;
    await expect(b.add(3)).resolves.toBeUndefined();
  });

  it('drain waits for pending and in-flight batches', async () => {
    const seen: number[] = [];
    const b = new MicroBatcher<number>(
      async (items) => {
        await new Promise((r) => setTimeout(r, 20));
        seen.push(...items);
      },
      { maxItems: 10, lingerMs: 10_000 },
    );
    void b.add(7);
    await b.drain();
    expect(seen).toEqual([7]);
  });
});
