import type IORedis from 'ioredis';
import { LUA_NOW_MS, RedisScript } from '../redis/redis-script';
import { SlotLane, systemClock, type Booking, type LaneClock } from './slot-lane';

/**
 * GCRA (generic cell rate algorithm) on Redis' clock, checked and recorded in one atomic step, so
 * two callers can never both take one slot. Admissions are spaced `interval` ms apart rather than
 * let through in bursts: a burst reaches the target spread out by its own transit, and the spread
 * would count against the next window. A caller that comes up to `catchUp` ms after its slot keeps
 * the schedule (a timer never fires exactly on time). A booking takes `want` consecutive slots at
 * once, the first up to `ahead` ms after now (see SlotLane). It answers {1, now, first slot, count},
 * or {0, ms to wait before asking again, paused}.
 */
const BOOK = new RedisScript<(number | string)[]>(`${LUA_NOW_MS}
local interval, catchUp, want, ahead = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4])
local pausedUntil = tonumber(redis.call('GET', KEYS[2]) or '0')
if pausedUntil > now then return {0, math.ceil(pausedUntil - now), 1} end
local tat = tonumber(redis.call('GET', KEYS[1]) or '0')
if tat > now + ahead then return {0, math.max(1, math.ceil(tat - ahead - now)), 0} end
local first = math.max(tat, now - catchUp)
tat = first + want * interval
redis.call('SET', KEYS[1], string.format('%.3f', tat), 'PX', math.ceil(tat - now + catchUp) + 1000)
return {1, now, string.format('%.3f', first), want}`);

/**
 * Moves the pause end later, never earlier: the longest Retry-After seen wins. Answers the end. When
 * it moved, every process is told on the channel (ARGV[2], if any) to drop the slots it has booked.
 */
const PAUSE = new RedisScript<number>(`${LUA_NOW_MS}
local untilMs = now + tonumber(ARGV[1])
if untilMs > tonumber(redis.call('GET', KEYS[1]) or '0') then
  redis.call('SET', KEYS[1], untilMs, 'PX', ARGV[1])
  if ARGV[2] ~= '' then redis.call('PUBLISH', ARGV[2], cjson.encode({schedule = ARGV[3], ms = tonumber(ARGV[1])})) end
  return untilMs
end
return tonumber(redis.call('GET', KEYS[1]))`);

export interface RateLimitKeys {
  /** The theoretical arrival time of the next admission (Redis clock, ms). */
  schedule: string;
  /** Until when (Redis clock, ms) nobody is admitted, after the target answered 429. */
  pause: string;
}

export interface RateLimiterOptions {
  /** How far ahead a process books slots at most (default 100 ms); see SlotLane. */
  blockMs?: number;
  /** How late a process may still use a slot it booked (default the catch-up given); see SlotLane. */
  lateMs?: number;
  /** Where a pause is announced to every process (`{ schedule, ms }` as JSON); none: not announced. */
  pauseChannel?: string;
  clock?: LaneClock;
}

/** A pause as announced on the pause channel. */
export interface PauseNotice {
  schedule: string;
  ms: number;
}

/**
 * At most `limit` admissions in any window of `windowMs − catchUp − lateMs` ms, across every process
 * that shares the keys (slot k+limit comes at least limit × interval − catchUp after slot k on the
 * schedule, and each is used at most lateMs after its time). Each process books slots in blocks (see
 * SlotLane), so it asks Redis about once per block, not once per request.
 */
export class RedisRateLimiter {
  private readonly interval: number;
  private readonly catchUp: number;
  private readonly lateMs: number;
  private readonly lanes = new Map<string, SlotLane>();

  /** `windowMs` over `limit` is the spacing; `catchUp` is taken out of the window's margin over 1 s. */
  constructor(
    private readonly redis: IORedis,
    limit: number,
    windowMs: number,
    catchUpMs: number,
    private readonly options: RateLimiterOptions = {},
  ) {
    this.interval = windowMs / limit;
    this.catchUp = Math.min(catchUpMs, this.interval);
    this.lateMs = options.lateMs ?? catchUpMs;
  }

  /** Resolves once the caller may send one request, with its slot's time on Redis' clock (ms since the epoch). */
  acquire(keys: RateLimitKeys): Promise<number> {
    return this.lane(keys).acquire();
  }

  /**
   * Holds every caller of these keys, in every process, for `ms`; answers the pause's end (ms since
   * the epoch). This process stops at once; the others when the announcement reaches them, and
   * at the latest when the slots they booked run out.
   */
  pause(keys: RateLimitKeys, ms: number): Promise<number> {
    const duration = Math.max(1, Math.ceil(ms));
    this.lane(keys).pause(duration);
    return PAUSE.run(this.redis, [keys.pause], [duration, this.options.pauseChannel ?? '', keys.schedule]);
  }

  /** Another process announced a pause of these keys' schedule. */
  paused(notice: PauseNotice): void {
    this.lanes.get(notice.schedule)?.pause(notice.ms);
  }

  /** End of the current pause (ms since the epoch), or null when there is none. */
  async pausedUntil(keys: RateLimitKeys): Promise<number | null> {
    // The key expires when the pause ends, so its presence is the answer.
    const value = await this.redis.get(keys.pause);
    return value === null ? null : Number(value);
  }

  private lane(keys: RateLimitKeys): SlotLane {
    let lane = this.lanes.get(keys.schedule);
    if (!lane) {
      const settings = { interval: this.interval, lateMs: this.lateMs, blockMs: this.options.blockMs ?? 100 };
      lane = new SlotLane((want, aheadMs) => this.book(keys, want, aheadMs), settings, this.options.clock ?? systemClock);
      this.lanes.set(keys.schedule, lane);
    }
    return lane;
  }

  private async book(keys: RateLimitKeys, want: number, aheadMs: number): Promise<Booking> {
    const answer = await BOOK.run(this.redis, [keys.schedule, keys.pause], [this.interval, this.catchUp, want, aheadMs]);
    if (answer[0] === 0) return { granted: false, waitMs: Number(answer[1]), paused: answer[2] === 1 };
    const [, now, first, count] = answer as unknown as [number, number, string, number];
    return { granted: true, now, first: Number(first), count };
  }
}
