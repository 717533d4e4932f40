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
    return new Promise((resolve, reject) => {
      this.pending.push({ item, resolve, reject });
      if (this.pending.length >= this.options.maxItems) this.flushNow();
      else this.timer ??= setTimeout(() => this.flushNow(), this.options.lingerMs);
    });
  }

  addMany(items: T[]): Promise<void> {
    return Promise.all(items.map((i) => this.add(i))).then(() => undefined);
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
