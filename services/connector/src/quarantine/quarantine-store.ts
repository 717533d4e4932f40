import { Inject, Injectable } from '@nestjs/common';
import { REDIS, SERVICE_CONFIG } from '@roster/platform';
import type IORedis from 'ioredis';
import { randomUUID } from 'node:crypto';
import type { ConnectorConfig } from '../config/connector.config';
import { connectorKey } from '../redis/connector-keys';
import { LUA_NOW_MS, RedisScript } from '../redis/redis-script';
import type { QuarantineKind, QuarantineState } from './quarantine-state';

export type EnterResult = 'entered' | 'escalated' | 'already';

/**
 * Enters quarantine unless already in it; a fatal cause escalates a quarantine for failures. A
 * quarantine that comes back soon after the last one ended starts where that one left off, doubled:
 * a target whose probe passes but whose writes still fail is not hit again every initial interval.
 */
const ENTER = new RedisScript<EnterResult>(`${LUA_NOW_MS}
if redis.call('EXISTS', KEYS[1]) == 1 then
  if ARGV[1] == 'fatal' and redis.call('HGET', KEYS[1], 'kind') ~= 'fatal' then
    redis.call('HSET', KEYS[1], 'kind', 'fatal', 'reason', ARGV[2])
    return 'escalated'
  end
  return 'already'
end
local interval = tonumber(ARGV[3])
local recent = redis.call('GET', KEYS[2])
if recent then interval = math.min(math.max(interval, tonumber(recent) * 2), tonumber(ARGV[4])) end
redis.call('HSET', KEYS[1], 'kind', ARGV[1], 'reason', ARGV[2], 'since', now, 'until', now + interval, 'intervalMs', interval, 'probes', 0)
return 'entered'`);

/** A failed probe doubles the wait (up to the maximum); only for the quarantine it probed. */
const PROBE_FAILED = new RedisScript<number>(`${LUA_NOW_MS}
if redis.call('HGET', KEYS[1], 'since') ~= ARGV[1] then return 0 end
local interval = math.min(tonumber(redis.call('HGET', KEYS[1], 'intervalMs')) * 2, tonumber(ARGV[3]))
redis.call('HSET', KEYS[1], 'until', now + interval, 'intervalMs', interval, 'reason', ARGV[2])
redis.call('HINCRBY', KEYS[1], 'probes', 1)
return 1`);

/** Leaves the quarantine it was asked about, forgets the failures that led to it, and remembers its interval a while. */
const LEAVE = new RedisScript<number>(`${LUA_NOW_MS}
if redis.call('HGET', KEYS[1], 'since') ~= ARGV[1] then return 0 end
local interval = tonumber(redis.call('HGET', KEYS[1], 'intervalMs'))
redis.call('DEL', KEYS[1])
redis.call('SET', KEYS[3], interval, 'PX', math.max(tonumber(ARGV[3]), interval * 2))
local second = math.floor(now / 1000)
for s = second - tonumber(ARGV[2]), second do redis.call('DEL', KEYS[2] .. ':' .. s) end
return 1`);

/**
 * Counts ARGV[3] command outcomes in a per-second bucket; for failures, answers the failures and
 * successes of the last ARGV[2] seconds.
 */
const OUTCOME = new RedisScript<[number, number]>(`${LUA_NOW_MS}
local second = math.floor(now / 1000)
local windowSec = tonumber(ARGV[2])
local bucket = KEYS[1] .. ':' .. second
redis.call('HINCRBY', bucket, ARGV[1], ARGV[3])
redis.call('EXPIRE', bucket, windowSec + 1)
if ARGV[1] == 'ok' then return {0, 0} end
local failures, successes = 0, 0
for s = second - windowSec + 1, second do
  local counts = redis.call('HMGET', KEYS[1] .. ':' .. s, 'fail', 'ok')
  failures = failures + tonumber(counts[1] or 0)
  successes = successes + tonumber(counts[2] or 0)
end
return {failures, successes}`);

const RELEASE = new RedisScript<number>(`if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`);

/** The quarantine state and failure counts of one provisioning job, in Redis so every replica shares them. */
@Injectable()
export class QuarantineStore {
  private readonly stateKey: string;
  private readonly outcomesKey: string;
  private readonly probeLockKey: string;
  private readonly recentKey: string;
  private readonly heldKey: string;
  private readonly windowSec: number;

  constructor(
    @Inject(REDIS) private readonly redis: IORedis,
    @Inject(SERVICE_CONFIG) private readonly config: ConnectorConfig,
  ) {
    this.stateKey = connectorKey(config, 'quarantine');
    this.outcomesKey = connectorKey(config, 'outcomes');
    this.probeLockKey = connectorKey(config, 'probe-lock');
    this.recentKey = connectorKey(config, 'quarantine-recent');
    this.heldKey = connectorKey(config, 'quarantine-held');
    this.windowSec = Math.ceil(config.QUARANTINE_WINDOW_MS / 1000);
  }

  async read(): Promise<QuarantineState | null> {
    const h = await this.redis.hgetall(this.stateKey);
    if (!h['since']) return null;
    return {
      kind: h['kind'] as QuarantineKind,
      reason: h['reason'] ?? '',
      since: Number(h['since']),
      until: Number(h['until']),
      intervalMs: Number(h['intervalMs']),
      probes: Number(h['probes']),
    };
  }

  enter(kind: QuarantineKind, reason: string): Promise<EnterResult> {
    return ENTER.run(this.redis, [this.stateKey, this.recentKey], [kind, reason, this.config.QUARANTINE_INITIAL_MS, this.config.QUARANTINE_MAX_MS]);
  }

  async probeFailed(state: QuarantineState, reason: string): Promise<void> {
    await PROBE_FAILED.run(this.redis, [this.stateKey], [state.since, reason, this.config.QUARANTINE_MAX_MS]);
  }

  /** False when that quarantine was already left (another replica's probe got there first). */
  async leave(state: QuarantineState): Promise<boolean> {
    const keys = [this.stateKey, this.outcomesKey, this.recentKey];
    return (await LEAVE.run(this.redis, keys, [state.since, this.windowSec, this.config.QUARANTINE_WINDOW_MS])) === 1;
  }

  async recordOutcome(outcome: 'ok' | 'fail', count = 1): Promise<{ failures: number; successes: number }> {
    const [failures, successes] = await OUTCOME.run(this.redis, [this.outcomesKey], [outcome, this.windowSec, count]);
    return { failures, successes };
  }

  /** Remembers a command that waits for the quarantine to end, so it can run as soon as it does. */
  async hold(queueJobId: string): Promise<void> {
    await this.redis.sadd(this.heldKey, queueJobId);
  }

  /** Takes (once, across replicas) the commands held by the quarantine. */
  takeHeld(count: number): Promise<string[]> {
    return this.redis.spop(this.heldKey, count);
  }

  /** One replica probes at a time; runs `probe` only if this one got the turn. */
  async withProbeLock(probe: () => Promise<void>): Promise<void> {
    const token = randomUUID();
    const ttlMs = this.config.GOTO_TIMEOUT_MS * 4;
    if ((await this.redis.set(this.probeLockKey, token, 'PX', ttlMs, 'NX')) !== 'OK') return;
    try {
      await probe();
    } finally {
      await RELEASE.run(this.redis, [this.probeLockKey], [token]);
    }
  }
}
