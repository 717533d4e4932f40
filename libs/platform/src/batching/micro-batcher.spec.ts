import { MicroBatcher } from './micro-batcher';

describe('MicroBatcher', () => {
  // Fake timers: the linger fires only when a test moves the clock, however busy the machine.
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('flushes items that arrive together as one batch once the linger is over, and resolves each add', async () => {
    const batches: number[][] = [];
    const b = new MicroBatcher<number>(async (items) => void batches.push(items), { maxItems: 100, lingerMs: 5 });
    const added = Promise.all([b.add(1), b.add(2), b.add(3)]);
    await jest.advanceTimersByTimeAsync(4);
    expect(batches).toEqual([]);
    await jest.advanceTimersByTimeAsync(1);
    expect(batches).toEqual([[1, 2, 3]]);
    await added;
  });

  it('flushes at once when the batch is full, without waiting for the linger', async () => {
    const batches: number[][] = [];
    const b = new MicroBatcher<number>(async (items) => void batches.push(items), { maxItems: 2, lingerMs: 10_000 });
    const full = Promise.all([b.add(1), b.add(2)]);
    void b.add(3);
    // No time passes: only the size trigger can have flushed, and the next item waits for its own batch.
    await jest.advanceTimersByTimeAsync(0);
    expect(batches).toEqual([[1, 2]]);
    await full;
  });

  it('rejects every add of a failed batch, and later batches still go through', async () => {
    let fail = true;
    const b = new MicroBatcher<number>(
      async () => {
        if (fail) throw new Error('redis down');
      },
      { maxItems: 10, lingerMs: 1 },
    );
    const failed = expect(Promise.all([b.add(1), b.add(2)])).rejects.toThrow('redis down');
    await jest.advanceTimersByTimeAsync(1);
    await failed;
    fail = false;
    const later = b.add(3);
    await jest.advanceTimersByTimeAsync(1);
    await expect(later).resolves.toBeUndefined();
  });

  it('drain flushes what is pending without the linger and waits for batches in flight', async () => {
    const seen: number[] = [];
    let finishWrite!: () => void;
    const b = new MicroBatcher<number>(
      async (items) => {
        await new Promise<void>((resolve) => (finishWrite = resolve));
        seen.push(...items);
      },
      { maxItems: 10, lingerMs: 10_000 },
    );
    void b.add(7);
    let drained = false;
    const draining = b.drain().then(() => (drained = true));
    await jest.advanceTimersByTimeAsync(0);
    expect(drained).toBe(false);
    finishWrite();
    await draining;
    expect(seen).toEqual([7]);
  });
});
