/**
 * Runs up to `concurrency` tasks at once, where each task names the keys (user ids) it works on: a
 * task starts only after every running task that shares a key with it has finished, so work on one
 * user stays in submission order while pages of different users overlap. Several submitters may
 * share a pool (the connector's batches): each waits for room, and their tasks of one user keep the
 * order in which they were submitted.
 */
export class DisjointTaskPool {
  private readonly running = new Set<Promise<void>>();
  private readonly byKey = new Map<string, Promise<void>>();
  private failure: { error: unknown } | null = null;

  constructor(private readonly concurrency: number) {
    if (!Number.isInteger(concurrency) || concurrency < 1) throw new RangeError(`concurrency must be a positive integer, not ${concurrency}`);
  }

  /** Resolves once `task` has started; throws the first failure of an earlier task instead of starting it. */
  async submit(keys: readonly string[], task: () => Promise<void>): Promise<void> {
    const blockers = new Set<Promise<void>>();
    for (const key of keys) {
      const holder = this.byKey.get(key);
      if (holder) blockers.add(holder);
    }
    if (blockers.size > 0) await Promise.all(blockers);
    while (this.running.size >= this.concurrency) await Promise.race(this.running);
    this.throwIfFailed();
    const run = task().catch((error: unknown) => {
      this.failure ??= { error };
    });
    const done = run.finally(() => {
      this.running.delete(done);
      for (const key of keys) if (this.byKey.get(key) === done) this.byKey.delete(key);
    });
    this.running.add(done);
    for (const key of keys) this.byKey.set(key, done);
  }

  /** Waits for every task; throws the first failure, if any. */
  async drain(): Promise<void> {
    await Promise.all(this.running);
    this.throwIfFailed();
  }

  private throwIfFailed(): void {
    if (this.failure) throw this.failure.error;
  }
}
