import { backoffDelay } from './retry-policy';

describe('backoffDelay', () => {
  const policy = { baseDelayMs: 100, maxDelayMs: 1000 };

  it('doubles per attempt within half-to-full jitter, capped at the maximum', () => {
    expect(backoffDelay(1, policy, null, () => 0)).toBe(50);
    expect(backoffDelay(1, policy, null, () => 1)).toBe(100);
    expect(backoffDelay(3, policy, null, () => 1)).toBe(400);
    expect(backoffDelay(10, policy, null, () => 1)).toBe(1000);
  });

  it('never retries sooner than Retry-After', () => {
    expect(backoffDelay(1, policy, { retryAfterMs: 5000 }, () => 0)).toBe(5000);
  });
});
