export interface NotificationDelivery {
  at: string;
  url: string;
  attempt: number;
  notifications: number;
  /** HTTP status of the receiver's answer; absent when the POST failed outright. */
  status?: number;
  error?: string;
}

export interface NotificationSenderOptions {
  batchDelayMs: number;
  retryDelaysMs: readonly number[];
  timeoutMs: number;
  now: () => number;
}

/** Graph batches notifications into one POST; it does not document a maximum, this keeps POSTs small. */
const MAX_BATCH = 100;
const DELIVERY_LOG_SIZE = 1000;

/**
 * POSTs `{"value":[…]}` batches to subscribers: changes that arrive within the batch delay share a
 * POST, one POST per URL is in flight at a time (so order is kept), and a non-2xx answer is
 * retried after each configured delay before the batch is dropped, as Graph drops it.
 */
export class NotificationSender {
  private readonly queues = new Map<string, object[]>();
  private readonly busy = new Set<string>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly inFlight = new Set<AbortController>();
  private readonly deliveries: NotificationDelivery[] = [];
  private flushTimer?: NodeJS.Timeout;
  private idleWaiters: (() => void)[] = [];
  /** Bumped by reset, so deliveries that were on the wire then do not carry on. */
  private generation = 0;

  constructor(private readonly options: NotificationSenderOptions) {}

  enqueue(url: string, notification: object): void {
    const queue = this.queues.get(url);
    if (queue) queue.push(notification);
    else this.queues.set(url, [notification]);
    this.flushTimer ??= setTimeout(() => {
      this.flushTimer = undefined;
      for (const target of this.queues.keys()) this.pump(target);
    }, this.options.batchDelayMs);
  }

  /** Resolves once nothing is queued, waiting for a retry, or on the wire. */
  idle(): Promise<void> {
    return this.isIdle() ? Promise.resolve() : new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  history(): NotificationDelivery[] {
    return [...this.deliveries];
  }

  /** Drops everything pending, aborts deliveries on the wire and forgets the history. */
  reset(): void {
    clearTimeout(this.flushTimer);
    this.flushTimer = undefined;
    this.timers.forEach(clearTimeout);
    this.timers.clear();
    this.inFlight.forEach((controller) => controller.abort());
    this.queues.clear();
    this.busy.clear();
    this.deliveries.length = 0;
    this.generation++;
    this.settle();
  }

  private pump(url: string): void {
    const queue = this.queues.get(url);
    if (this.busy.has(url) || !queue) return;
    const batch = queue.splice(0, MAX_BATCH);
    if (queue.length === 0) this.queues.delete(url);
    this.busy.add(url);
    void this.deliver(url, batch, 0, this.generation);
  }

  private async deliver(url: string, batch: object[], attempt: number, generation: number): Promise<void> {
    const controller = new AbortController();
    this.inFlight.add(controller);
    const timeout = setTimeout(() => controller.abort(), this.options.timeoutMs);
    const record: NotificationDelivery = {
      at: new Date(this.options.now()).toISOString(),
      url,
      attempt,
      notifications: batch.length,
    };
    try {
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ value: batch }),
        signal: controller.signal,
      });
      await response.arrayBuffer();
      record.status = response.status;
    } catch (error) {
      record.error = error instanceof Error ? error.message : String(error);
    } finally {
      clearTimeout(timeout);
      this.inFlight.delete(controller);
    }
    if (generation !== this.generation) return;
    this.deliveries.push(record);
    if (this.deliveries.length > DELIVERY_LOG_SIZE) this.deliveries.shift();

    const delivered = record.status !== undefined && record.status >= 200 && record.status < 300;
    const retryDelay = this.options.retryDelaysMs[attempt];
    if (!delivered && retryDelay !== undefined) {
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        void this.deliver(url, batch, attempt + 1, generation);
      }, retryDelay);
      this.timers.add(timer);
      return;
    }
    this.busy.delete(url);
    this.pump(url);
    this.settle();
  }

  private isIdle(): boolean {
    return this.flushTimer === undefined && this.busy.size === 0 && this.queues.size === 0;
  }

  private settle(): void {
    if (!this.isIdle()) return;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    waiters.forEach((resolve) => resolve());
  }
}
