import { TurnBatcher } from './turn-batcher';

/** A flush that returns only when the test says so. */
function gatedFlush() {
  const batches: number[][] = [];
  const gates: (() => void)[] = [];
  const flush = (items: number[]) => {
    batches.push(items);
    return new Promise<void>((resolve) => gates.push(resolve));
  };
  return { batches, flush, open: () => gates.shift()!() };
}

const ticks = async (n = 5) => {
  for (let i = 0; i < n; i++) await Promise.resolve();
};

describe('TurnBatcher', () => {
  it('flushes items added in one tick together, at once', async () => {
    const batches: number[][] = [];
    const b = new TurnBatcher<number>(async (items) => void batches.push(items));
    await Promise.all([b.add(1), b.add(2), b.add(3)]);
    expect(batches).toEqual([[1, 2, 3]]);
  });

  it('puts what arrives during a flush in the next one, started when it returns', async () => {
    const { batches, flush, open } = gatedFlush();
    const b = new TurnBatcher<number>(flush);
    const first = b.add(1);
    await ticks();
    const later = Promise.all([b.add(2), b.add(3)]);
    await ticks();
    expect(batches).toEqual([[1]]);
    open();
    await first;
    await ticks();
    expect(batches).toEqual([[1], [2, 3]]);
    open();
    await later;
    await b.drained();
  });

  it('rejects the adds of a failed flush only; later ones still go', async () => {
    let fail = true;
    const b = new TurnBatcher<number>(async () => {
      if (fail) throw new Error('refused');
    });
    await expect(Promise.all([b.add(1), b.add(2)])).rejects.toThrow('refused');
    fail = false;
    await expect(b.add(3)).resolves.toBeUndefined();
  });

  it('drained waits for the flush under way and the ones queued behind it', async () => {
    const { batches, flush, open } = gatedFlush();
    const b = new TurnBatcher<number>(flush);
    void b.add(1);
    await ticks();
    void b.add(2);
    let drained = false;
    const waiting = b.drained().then(() => (drained = true));
    open();
    await ticks();
    expect(drained).toBe(false);
    open();
    await waiting;
    expect(batches).toEqual([[1], [2]]);
  });
});
