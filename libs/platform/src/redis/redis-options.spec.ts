import { redisOptionsFromUrl, redisReconnectDelay } from './redis-options';

describe('redisReconnectDelay', () => {
  it('doubles from about 100 ms up to 5 s and never gives up', () => {
    const top = () => 1;
    expect([1, 2, 3, 4, 5, 6, 7].map((t) => redisReconnectDelay(t, top))).toEqual([100, 200, 400, 800, 1600, 3200, 5000]);
    expect(redisReconnectDelay(10_000, top)).toBe(5000);
  });

  it('spreads reconnections over the upper half of each step', () => {
    expect(redisReconnectDelay(4, () => 0)).toBe(400);
    expect(redisReconnectDelay(4, () => 0.5)).toBe(600);
  });

  it('is the retry strategy of every connection Roster opens', () => {
    const { retryStrategy } = redisOptionsFromUrl('redis://127.0.0.1:6380/2');
    expect(typeof retryStrategy?.(1_000)).toBe('number');
  });
});
