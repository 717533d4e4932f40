import { redisOptionsFromUrl, redisReconnectDelay, redisSentinelOf } from './redis-options';

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

describe('redisOptionsFromUrl with Sentinel', () => {
  it('asks the sentinels for the master and keeps the credentials, database and TLS of the URL', () => {
    const options = redisOptionsFromUrl('rediss://:s%40cret@ignored:6379/3', { sentinels: 'sentinel-0:26379, sentinel-1:26380', master: 'roster', password: 'sp' });
    expect(options).toMatchObject({
      name: 'roster',
      sentinels: [
        { host: 'sentinel-0', port: 26379 },
        { host: 'sentinel-1', port: 26380 },
      ],
      sentinelPassword: 'sp',
      password: 's@cret',
      db: 3,
      tls: {},
      enableTLSForSentinelMode: true,
      maxRetriesPerRequest: null,
    });
    expect(options).not.toHaveProperty('host');
    expect(typeof options.sentinelRetryStrategy?.(50)).toBe('number');
  });

  it('is used only when sentinels are configured', () => {
    expect(redisSentinelOf({ REDIS_SENTINEL_MASTER: 'mymaster' })).toBeUndefined();
    expect(redisSentinelOf({ REDIS_SENTINELS: 'a:26379', REDIS_SENTINEL_MASTER: 'mymaster' })).toEqual({ sentinels: 'a:26379', master: 'mymaster', password: undefined });
  });
});
