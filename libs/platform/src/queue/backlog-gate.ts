/** How often a held producer reads the backlog again. */
const POLL_MS = 200;

/**
 * Holds a producer back while the queues it feeds have more than `limit` jobs waiting, so that the
 * work a slow consumer has not reached stays where it came from (the directory, the watcher's
 * saved state) instead of piling up in Redis. It only delays the caller: what is sent next is
 * sent as before and in the same order, so per-user order and the caller's send-then-save
 * checkpoints are untouched. Callers that run at once may all pass one reading below the limit,
 * so the backlog can exceed it by what they send together.
 */
export class BacklogGate {
  /** Jobs waiting at the last reading. */
  backlog = 0;
  /** Callers held now. */
  private held = 0;
  /** Milliseconds callers have been held, each counted (two held for a second make two). */
  heldMs = 0;
  /** Callers held at once share one reading. */
  private reading: Promise<number> | null = null;

  constructor(
    private readonly waitingJobs: () => Promise<number>,
    readonly limit: number,
    private readonly pause: (ms: number) => Promise<void> = (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  ) {}

  /** Resolves once at most `limit` jobs wait, or as soon as `halted` says the caller stops anyway. */
  async admit(halted: () => boolean = () => false): Promise<void> {
    if (!(await this.over(halted))) return;
    this.held++;
    try {
      do {
        await this.pause(POLL_MS);
        this.heldMs += POLL_MS;
      } while (await this.over(halted));
    } finally {
      this.held--;
    }
  }

  /** True while a caller is held. */
  get holding(): boolean {
    return this.held > 0;
  }

  private async over(halted: () => boolean): Promise<boolean> {
    this.backlog = await this.read();
    return this.backlog > this.limit && !halted();
  }

  private read(): Promise<number> {
    this.reading ??= this.waitingJobs().finally(() => (this.reading = null));
    return this.reading;
  }
}
