import { createHash } from 'node:crypto';
import type IORedis from 'ioredis';

/**
 * A Lua script run atomically in Redis: by its SHA1 (one short request), loaded again only when
 * Redis has forgotten it (restart, SCRIPT FLUSH).
 */
export class RedisScript<T> {
  private readonly sha: string;

  constructor(private readonly lua: string) {
    this.sha = createHash('sha1').update(lua).digest('hex');
  }

  async run(redis: IORedis, keys: string[], args: (string | number)[]): Promise<T> {
    try {
      return (await redis.evalsha(this.sha, keys.length, ...keys, ...args)) as T;
    } catch (error) {
      if (!(error instanceof Error && error.message.startsWith('NOSCRIPT'))) throw error;
      return (await redis.eval(this.lua, keys.length, ...keys, ...args)) as T;
    }
  }
}

/** Redis' own clock in milliseconds, so every replica measures windows on one clock. */
export const LUA_NOW_MS = `local clock = redis.call('TIME')
local now = tonumber(clock[1]) * 1000 + math.floor(tonumber(clock[2]) / 1000)`;
