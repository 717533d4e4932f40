import type { RateLimitOption } from '../emulator-options';

export type Admission = { admitted: true } | { admitted: false; retryAfterSeconds: number | null };

/**
 * Admits at most `perSecond` requests per key in any sliding 1-second window (stricter than a fixed
 * window, which lets twice the limit through across a boundary). Each key keeps a ring of the times
 * of its last `perSecond` admissions, so a check is O(1).
 */
export class RateLimiter {
  private readonly rings = new Map<string, { times: number[]; oldest: number }>();

  constructor(
    private limit: RateLimitOption,
    private readonly clock: () => number = Date.now,
  ) {}

  get current(): RateLimitOption {
    return this.limit;
  }

  configure(limit: RateLimitOption): void {
    this.limit = limit;
    this.rings.clear();
  }

  admit(key: string, now = this.clock()): Admission {
    if (this.limit === 'unthrottled') return { admitted: true };
    const { perSecond, retryAfterSeconds } = this.limit;
    let ring = this.rings.get(key);
    if (!ring) this.rings.set(key, (ring = { times: [], oldest: 0 }));
    if (ring.times.length < perSecond) {
      ring.times.push(now);
      return { admitted: true };
    }
    if (now - ring.times[ring.oldest]! < 1000) return { admitted: false, retryAfterSeconds };
    ring.times[ring.oldest] = now;
    ring.oldest = (ring.oldest + 1) % perSecond;
    return { admitted: true };
  }

  reset(): void {
    this.rings.clear();
  }
}
