/**
 * Counts events per key (failed authentications per client address, expensive actions per caller)
 * in a sliding window; a key that reached the limit is refused until its oldest event leaves the
 * window. Bounded memory: beyond `maxKeys` the longest-known key is forgotten first. Each replica
 * counts on its own, so N replicas allow up to N times the limit.
 */
export class SlidingWindowLimiter {
  private readonly events = new Map<string, number[]>();

  constructor(
    private readonly options: { limit: number; windowMs: number; maxKeys?: number },
    private readonly now: () => number = Date.now,
  ) {}

  /** Milliseconds until the key may go on, or 0 when it may now. */
  retryAfterMs(key: string): number {
    const recent = this.recent(key);
    if (recent.length < this.options.limit) return 0;
    return recent[recent.length - this.options.limit]! + this.options.windowMs - this.now();
  }

  record(key: string): void {
    const recent = this.recent(key);
    recent.push(this.now());
    this.events.delete(key);
    this.events.set(key, recent.slice(-this.options.limit));
    const max = this.options.maxKeys ?? 10_000;
    if (this.events.size > max) this.events.delete(this.events.keys().next().value!);
  }

  private recent(key: string): number[] {
    const since = this.now() - this.options.windowMs;
    return (this.events.get(key) ?? []).filter((t) => t > since);
  }
}
