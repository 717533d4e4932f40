import { SlidingWindowLimiter } from './sliding-window-limiter';

describe('SlidingWindowLimiter', () => {
  let now = 0;
  const limiter = () => new SlidingWindowLimiter({ limit: 3, windowMs: 60_000, maxKeys: 2 }, () => now);
  beforeEach(() => (now = 1_000_000));

  it('refuses an address after `limit` failures in the window, and lets it try again when the oldest leaves it', () => {
    const l = limiter();
    l.record('a');
    now += 10_000;
    l.record('a');
    expect(l.retryAfterMs('a')).toBe(0);
    l.record('a');
    expect(l.retryAfterMs('a')).toBe(50_000);
    expect(l.retryAfterMs('b')).toBe(0);
    now += 50_000;
    expect(l.retryAfterMs('a')).toBe(0);
  });

  it('forgets the longest-known address beyond its bound', () => {
    const l = limiter();
    for (const address of ['a', 'b', 'c']) for (let i = 0; i < 3; i++) l.record(address);
    expect(l.retryAfterMs('a')).toBe(0);
    expect(l.retryAfterMs('b')).toBeGreaterThan(0);
    expect(l.retryAfterMs('c')).toBeGreaterThan(0);
  });
});
