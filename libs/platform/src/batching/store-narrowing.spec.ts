import { storeNarrowing } from './store-narrowing';

/** A store that refuses any batch holding a "bad" item, as PostgreSQL refuses a multi-row INSERT. */
function fakeStore(bad: (item: string) => boolean) {
  const stored: string[] = [];
  const calls: string[][] = [];
  const store = async (items: string[]) => {
    calls.push(items);
    if (items.some(bad)) throw Object.assign(new Error('invalid byte sequence for encoding "UTF8": 0x00'), { code: '22021' });
    stored.push(...items);
  };
  return { stored, calls, store };
}
const isDataError = (error: unknown) => (error as { code?: string }).code === '22021';
const items = (n: number) => Array.from({ length: n }, (_, i) => `r${i}`);

describe('storeNarrowing', () => {
  it('stores a good batch with one call', async () => {
    const { stored, calls, store } = fakeStore(() => false);
    expect(await storeNarrowing(items(10), store, isDataError)).toEqual([]);
    expect(calls).toHaveLength(1);
    expect(stored).toEqual(items(10));
  });

  it('stores every batch-mate of a refused item and reports that item with its position', async () => {
    const { stored, store } = fakeStore((item) => item === 'r7');
    const refused = await storeNarrowing(items(100), store, isDataError);
    expect(refused.map(({ item, index }) => [item, index])).toEqual([['r7', 7]]);
    expect([...stored].sort()).toEqual(items(100).filter((i) => i !== 'r7').sort());
  });

  it('narrows several refused items in few calls', async () => {
    const bad = new Set(['r0', 'r50', 'r999']);
    const { stored, calls, store } = fakeStore((item) => bad.has(item));
    const refused = await storeNarrowing(items(1000), store, isDataError);
    expect(refused.map((r) => r.index)).toEqual([0, 50, 999]);
    expect(stored).toHaveLength(997);
    expect(calls.length).toBeLessThanOrEqual(2 * 3 * Math.ceil(Math.log2(1000)) + 1);
  });

  it('throws a failure that is not the items fault, for the caller to retry the whole batch', async () => {
    const lost = Object.assign(new Error('Connection terminated'), { code: '08006' });
    await expect(storeNarrowing(items(4), () => Promise.reject(lost), isDataError)).rejects.toBe(lost);
  });
});
