import type IORedis from 'ioredis';
import { LUA_NOW_MS, RedisScript } from '../redis/redis-script';

/**
 * GCRA (generic cell rate algorithm) on Redis' clock, checked and recorded in one atomic step, so
 * two callers can never both take one slot. Admissions are spaced `interval` ms apart rather than
 * let through in bursts: a burst reaches the target spread out by its own transit, and the spread
 * would count against the next window. A caller that comes up to `catchUp` ms after its slot keeps
 * the schedule (a timer never fires exactly on time). Answers how many milliseconds to wait before
 * asking again, or when admitted the admission's time on Redis' clock, negated.
 */
const ACQUIRE = new RedisScript<number>(`${LUA_NOW_MS}
local interval, catchUp = tonumber(ARGV[1]), tonumber(ARGV[2])
local pausedUntil = tonumber(redis.call('GET', KEYS[2]) or '0')
if pausedUntil > now then return math.ceil(pausedUntil - now) end
local tat = tonumber(redis.call('GET', KEYS[1]) or '0')
if tat > now then return math.max(1, math.ceil(tat - now)) end
tat = math.max(tat, now - catchUp) + interval
redis.call('SET', KEYS[1], string.format('%.3f', tat), 'PX', math.ceil(interval + catchUp) + 1000)
return -now`);

/** Moves the pause end later, never earlier: the longest Retry-After seen wins. Answers the end. */
const PAUSE = new RedisScript<number>(`${LUA_NOW_MS}
local untilMs = now + tonumber(ARGV[1])
if untilMs > tonumber(redis.call('GET', KEYS[1]) or '0') then
  redis.call('SET', KEYS[1], untilMs, 'PX', ARGV[1])
  return untilMs
end
return tonumber(redis.call('GET', KEYS[1]))`);

export interface RateLimitKeys {
  /** The theoretical arrival time of the next admission (Redis clock, ms). */
  schedule: string;
  /** Until when (Redis clock, ms) nobody is admitted, after the target answered 429. */
  pause: string;
}

/**
 * At most `limit` admissions in any window of `windowMs - catchUp` ms, across every process that
 * shares the keys (admission k+limit comes at least limit × interval − catchUp after admission k).
 */
export class RedisRateLimiter {
  private readonly interval: number;
  private readonly catchUp: number;

  /** `windowMs` over `limit` is the spacing; `catchUp` is taken out of the window's margin over 1 s. */
  constructor(
    private readonly redis: IORedis,
    limit: number,
    windowMs: number,
    catchUpMs: number,
  ) {
    this.interval = windowMs / limit;
    this.catchUp = Math.min(catchUpMs, this.interval);
  }

  /** Resolves once the caller may send one request, with the admission's time on Redis' clock (ms since the epoch). */
  async acquire(keys: RateLimitKeys): Promise<number> {
    for (;;) {
      const answer = await ACQUIRE.run(this.redis, [keys.schedule, keys.pause], [this.interval, this.catchUp]);
      if (answer <= 0) return -answer;
      await new Promise((resolve) => setTimeout(resolve, answer));
    }
  }

  /** Holds every caller of these keys, in every process, for `ms`; answers the pause's end (ms since the epoch). */
  pause(keys: RateLimitKeys, ms: number): Promise<number> {
    return PAUSE.run(this.redis, [keys.pause], [Math.max(1, Math.ceil(ms))]);
  }

  /** End of the current pause (ms since the epoch), or null when there is none. */
  async pausedUntil(keys: RateLimitKeys): Promise<number | null> {
    // The key expires when the pause ends, so its presence is the answer.
    const value = await this.redis.get(keys.pause);
    return value === null ? null : Number(value);
  }
}
