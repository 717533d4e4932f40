import { mapAhead, readAhead } from './read-ahead';

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

describe('mapAhead', () => {
  const tick = () => new Promise((resolve) => setImmediate(resolve));

  it('keeps the source order while up to `depth` transforms run at once', async () => {
    const releases: (() => void)[] = [];
    let running = 0;
    let most = 0;
    async function* source() {
      for (let i = 0; i < 6; i++) yield i;
    }
    const transform = async (i: number) => {
      running++;
      most = Math.max(most, running);
      await new Promise<void>((resolve) => releases.push(resolve));
      running--;
      return i * 10;
    };
    const results: number[] = [];
    const consuming = (async () => {
      for await (const value of mapAhead(source(), transform, 3)) results.push(value);
    })();
    while (results.length < 6) {
      await tick();
      // Finish the newest transform first: the order of results must not follow completion.
      releases.pop()?.();
    }
    await consuming;
    expect(results).toEqual([0, 10, 20, 30, 40, 50]);
    expect(most).toBe(3);
  });

  it('reports a failed transform at its item, after the items before it', async () => {
    async function* source() {
      for (let i = 0; i < 4; i++) yield i;
    }
    const seen: number[] = [];
    const transform = async (i: number) => {
      if (i === 2) throw new Error('snapshot 2 failed');
      return i;
    };
    await expect(
      (async () => {
        for await (const value of mapAhead(source(), transform, 2)) seen.push(value);
      })(),
    ).rejects.toThrow('snapshot 2 failed');
    expect(seen).toEqual([0, 1]);
  });
});
