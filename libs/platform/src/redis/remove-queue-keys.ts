import IORedis from 'ioredis';

/** Removes every Redis key under a queue prefix (jobs kept for inspection included): tests, benchmarks, the demo. */
export async function removeQueueKeys(redisUrl: string, queuePrefix: string): Promise<void> {
  const redis = new IORedis(redisUrl);
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${queuePrefix}:*`, 'COUNT', 1000);
      cursor = next;
      if (keys.length) await redis.unlink(...keys);
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}
