import IORedis from 'ioredis';
import { redisOptionsFromUrl } from '@roster/platform';
import type { TestEnvironment } from '../test-environment';

/** Every key under `prefix` with its whole value, whatever its type, as text: what a test greps for a secret. */
export async function redisDump(redisUrl: string, prefix: string): Promise<{ keys: number; text: string }> {
  const redis = new IORedis(redisOptionsFromUrl(redisUrl));
  try {
    const keys: string[] = [];
    let cursor = '0';
    do {
      const [next, batch] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
      keys.push(...batch);
      cursor = next;
    } while (cursor !== '0');
    const parts: string[] = [];
    for (const key of keys) {
      const type = await redis.type(key);
      const value =
        type === 'string' ? await redis.get(key)
        : type === 'hash' ? await redis.hgetall(key)
        : type === 'list' ? await redis.lrange(key, 0, -1)
        : type === 'set' ? await redis.smembers(key)
        : type === 'zset' ? await redis.zrange(key, 0, -1, 'WITHSCORES')
        : type === 'stream' ? await redis.xrange(key, '-', '+')
        : null;
      parts.push(`${key} ${type} ${JSON.stringify(value)}`);
    }
    return { keys: keys.length, text: parts.join('\n') };
  } finally {
    redis.disconnect();
  }
}

/** Every row of every table of the suite's schema, as text, with the number of rows per table. */
export async function databaseDump(env: TestEnvironment): Promise<{ rows: Record<string, number>; text: string }> {
  const tables = await env.query<{ table_name: string }>(
    `SELECT table_name FROM information_schema.tables WHERE table_schema = $1 AND table_type = 'BASE TABLE' ORDER BY table_name`,
    [env.schema],
  );
  const rows: Record<string, number> = {};
  const parts: string[] = [];
  for (const { table_name: table } of tables) {
    const content = await env.query<{ row: string }>(`SELECT t::text AS row FROM "${table}" t`);
    rows[table] = content.length;
    parts.push(...content.map((c) => `${table} ${c.row}`));
  }
  return { rows, text: parts.join('\n') };
}
