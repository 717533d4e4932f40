/**
 * Hands items to `flush` in batches, one flush at a time and without waiting: an item added while no
 * flush runs goes at once, alone or with whatever else was added in the same tick; items added while
 * a flush runs go together in the next, started when it returns. So work that finishes close together
 * shares a statement, and none waits for the slowest of its batch (unlike a batch written at the end)
 * or for a timer (unlike MicroBatcher's linger). Each `add` settles with the flush that carried it.
 */
export class TurnBatcher<T> {
  private pending: { item: T; resolve: () => void; reject: (e: unknown) => void }[] = [];
  private running: Promise<void> | null = null;

  constructor(private readonly flush: (items: T[]) => Promise<void>) {}

  add(item: T): Promise<void> {
    return new Promise((resolve, reject) => {
      this.pending.push({ item, resolve, reject });
      this.running ??= this.turns();
    });
  }

  /** Waits until everything added so far is flushed (or failed). */
  async drained(): Promise<void> {
    while (this.running) await this.running;
  }

  private async turns(): Promise<void> {
    // A tick first, so the items added by one burst of resolutions share the first flush too.
    await Promise.resolve();
    while (this.pending.length > 0) {
      const batch = this.pending;
      this.pending = [];
      await this.flush(batch.map((b) => b.item)).then(
        () => batch.forEach((b) => b.resolve()),
        (error: unknown) => batch.forEach((b) => b.reject(error)),
      );
    }
    this.running = null;
  }
}
