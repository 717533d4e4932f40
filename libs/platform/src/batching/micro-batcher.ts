/**
 * Collects items that arrive close together and hands them to `flush` as one batch (one `addBulk`,
 * one multi-row INSERT). Each `add` resolves when its batch is durable, so callers can still await
 * their own item before acknowledging the work that produced it.
 */
export class MicroBatcher<T> {
  private pending: { item: T; resolve: () => void; reject: (e: unknown) => void }[] = [];
  private timer: NodeJS.Timeout | null = null;
  private inFlight = new Set<Promise<void>>();

  constructor(
    private readonly flushBatch: (items: T[]) => Promise<void>,
    private readonly options: { maxItems: number; lingerMs: number },
  ) {}

  add(item: T): Promise<void> {
    return this.addMany([item]);
  }

  /** Resolves once every one of `items` is durable; they may travel in more than one batch. */
  addMany(items: readonly T[]): Promise<void> {
    if (items.length === 0) return Promise.resolve();
    return new Promise((resolve, reject) => {
      let left = items.length;
      const settled = () => {
        if (--left === 0) resolve();
      };
      for (const item of items) {
        this.pending.push({ item, resolve: settled, reject });
        if (this.pending.length >= this.options.maxItems) this.flushNow();
      }
      if (this.pending.length > 0) this.timer ??= setTimeout(() => this.flushNow(), this.options.lingerMs);
    });
  }

  /** Flushes what is pending and waits for every batch in flight: call before shutdown. */
  async drain(): Promise<void> {
    this.flushNow();
    await Promise.allSettled([...this.inFlight]);
  }

  private flushNow(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (this.pending.length === 0) return;
    const batch = this.pending;
    this.pending = [];
    const done = this.flushBatch(batch.map((b) => b.item)).then(
      () => batch.forEach((b) => b.resolve()),
      (e: unknown) => batch.forEach((b) => b.reject(e)),
    );
    this.inFlight.add(done);
    void done.finally(() => this.inFlight.delete(done));
  }
}
