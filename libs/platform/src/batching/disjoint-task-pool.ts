/**
 * Runs up to `concurrency` tasks at once, where each task names the keys (user ids) it works on: a
 * task starts only after every task submitted before it that shares a key with it has finished, so
 * work on one user stays in submission order while pages of different users overlap. Several
 * submitters may share a pool (the connector's batches), without awaiting each submission: a key is
 * taken when the task is submitted, not when it starts.
 */
export class DisjointTaskPool {
  /** Started tasks, until they end. */
  private readonly running = new Set<Promise<void>>();
  /** For each key, the end of the last task submitted on it, started or not. */
  private readonly byKey = new Map<string, Promise<void>>();
  /**
   * Submitters waiting for room, first come first served: an ending task hands its slot to the
   * first. Waking every waiter to race for the slot cost the connector half its CPU, with a
   * thousand commands of its batches waiting at once.
   */
  private readonly waiting: (() => void)[] = [];
  private slotsTaken = 0;
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
    let ended!: () => void;
    const done = new Promise<void>((resolve) => (ended = resolve));
    for (const key of keys) this.byKey.set(key, done);
    const end = () => {
      for (const key of keys) if (this.byKey.get(key) === done) this.byKey.delete(key);
      this.releaseSlot();
      ended();
    };
    if (blockers.size > 0) await Promise.all(blockers);
    await this.takeSlot();
    if (this.failure) {
      end();
      throw this.failure.error;
    }
    this.running.add(done);
    void new Promise<void>((resolve) => resolve(task()))
      .catch((error: unknown) => {
        this.failure ??= { error };
      })
      .finally(() => {
        this.running.delete(done);
        end();
      });
  }

  /** Waits for every started task; throws the first failure, if any. */
  async drain(): Promise<void> {
    await Promise.all(this.running);
    if (this.failure) throw this.failure.error;
  }

  private takeSlot(): Promise<void> | void {
    if (this.slotsTaken < this.concurrency) {
      this.slotsTaken++;
      return;
    }
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  private releaseSlot(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.slotsTaken--;
  }
}
