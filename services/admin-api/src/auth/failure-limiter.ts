/**
 * Counts failed authentications per client address in a sliding window; an address that reached
 * the limit is refused, even with a good credential, until its oldest failure leaves the window —
 * so guessing keys costs time. Bounded memory: beyond `maxAddresses` the longest-known address is
 * forgotten first.
 */
export class FailureLimiter {
  private readonly failures = new Map<string, number[]>();

  constructor(
    private readonly options: { limit: number; windowMs: number; maxAddresses?: number },
    private readonly now: () => number = Date.now,
  ) {}

  /** Milliseconds until the address may try again, or 0 when it may now. */
  retryAfterMs(address: string): number {
    const recent = this.recent(address);
    if (recent.length < this.options.limit) return 0;
    return recent[recent.length - this.options.limit]! + this.options.windowMs - this.now();
  }

  recordFailure(address: string): void {
    const recent = this.recent(address);
    recent.push(this.now());
    this.failures.delete(address);
    this.failures.set(address, recent.slice(-this.options.limit));
    const max = this.options.maxAddresses ?? 10_000;
    if (this.failures.size > max) this.failures.delete(this.failures.keys().next().value!);
  }

  private recent(address: string): number[] {
    const since = this.now() - this.options.windowMs;
    return (this.failures.get(address) ?? []).filter((t) => t > since);
  }
}
