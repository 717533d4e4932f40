import { randomUUID } from 'node:crypto';
import type IORedis from 'ioredis';
import type { DataSource, EntityManager } from 'typeorm';
import { withTimeout } from '../async/with-timeout';
import { judgeEpoch, type EpochJudgement, type EpochMark, type QueueIncident } from './epoch-judgement';

/** A check waits this long for Redis before giving up (and trying again at the next one). */
const REDIS_TIMEOUT_MS = 5000;

/** Sets tick and generation only on the epoch they belong to: a Redis that lost the key must keep missing it. */
const ADVANCE = `
if redis.call('HGET', KEYS[1], 'epoch') ~= ARGV[1] then return 0 end
if tonumber(redis.call('HGET', KEYS[1], 'tick')) < tonumber(ARGV[2]) then
  redis.call('HSET', KEYS[1], 'tick', ARGV[2], 'generation', ARGV[3])
end
return 1`;

export interface EpochState {
  mark: EpochMark;
  /** The last incident PostgreSQL recorded (the one that started `mark.generation`), if any. */
  incident: QueueIncident | null;
  incidentAt: Date | null;
  /** Set when this check found the incident. */
  detectedNow: boolean;
}

/**
 * The two memories of the queue epoch: a hash under the queue prefix in Redis, and a row in
 * PostgreSQL. Checks of all services run one at a time (an advisory lock per prefix), and a tick
 * reaches Redis only after PostgreSQL has committed it, except when a new epoch starts (an incident,
 * a new installation): then Redis gets it first, so a second service cannot find the same loss
 * again, and a commit that fails leaves the two apart, which the next check reports again.
 */
export class QueueEpochStore {
  private readonly key: string;

  constructor(
    private readonly db: DataSource,
    private readonly redis: IORedis,
    private readonly prefix: string,
  ) {
    this.key = `${prefix}:roster:epoch`;
  }

  async advance(): Promise<EpochState> {
    const { state, inRedis } = await this.db.transaction(async (m) => {
      await m.query(`SELECT pg_advisory_xact_lock(hashtext($1))`, [`queue-epoch:${this.prefix}`]);
      const [row] = (await m.query(`SELECT epoch, tick::text, generation FROM queue_epoch WHERE queue_prefix = $1`, [this.prefix])) as {
        epoch: string;
        tick: string;
        generation: number;
      }[];
      const pg = row ? { epoch: row.epoch, tick: Number(row.tick), generation: row.generation } : null;
      const redis = await this.readRedis();
      const judged = judgeEpoch(pg, redis, randomUUID);
      // A new epoch (an incident, or a new installation) goes to Redis first; see the class comment.
      const startsEpoch = judged.incident !== null || redis === null;
      if (startsEpoch) await this.writeRedis(judged.next);
      const saved = await this.save(m, judged);
      const state: EpochState = { mark: judged.next, incident: saved.incident, incidentAt: saved.incident_at, detectedNow: judged.incident !== null };
      return { state, inRedis: startsEpoch };
    });
    if (!inRedis) {
      const { epoch, tick, generation } = state.mark;
      await withTimeout(this.redis.eval(ADVANCE, 1, this.key, epoch, String(tick), String(generation)), REDIS_TIMEOUT_MS, 'Redis');
    }
    return state;
  }

  /** Redis's id of its running process: another one means Redis restarted. */
  async redisRunId(): Promise<string> {
    const info = await withTimeout(this.redis.info('server'), REDIS_TIMEOUT_MS, 'Redis');
    return /^run_id:(\w+)/m.exec(info)?.[1] ?? '';
  }

  /** The generation `service` last recovered for; null before its first check. */
  async recoveredGeneration(service: string): Promise<number | null> {
    const [row] = (await this.db.query(`SELECT generation FROM queue_epoch_service WHERE queue_prefix = $1 AND service = $2`, [
      this.prefix,
      service,
    ])) as { generation: number }[];
    return row?.generation ?? null;
  }

  async markRecovered(service: string, generation: number): Promise<void> {
    await this.db.query(
      `INSERT INTO queue_epoch_service (queue_prefix, service, generation) VALUES ($1, $2, $3)
       ON CONFLICT (queue_prefix, service) DO UPDATE SET generation = greatest(queue_epoch_service.generation, excluded.generation), updated_at = now()`,
      [this.prefix, service, generation],
    );
  }

  private async readRedis(): Promise<EpochMark | null> {
    const hash = await withTimeout(this.redis.hgetall(this.key), REDIS_TIMEOUT_MS, 'Redis');
    if (!hash.epoch) return null;
    return { epoch: hash.epoch, tick: Number(hash.tick), generation: Number(hash.generation) };
  }

  private async writeRedis(mark: EpochMark): Promise<void> {
    const write = this.redis.multi().del(this.key).hset(this.key, { ...mark }).exec();
    await withTimeout(write, REDIS_TIMEOUT_MS, 'Redis');
  }

  /** Saves the judgement; answers the incident that started the generation, and when PostgreSQL recorded it. */
  private async save(m: EntityManager, judged: EpochJudgement): Promise<{ incident: QueueIncident | null; incident_at: Date | null }> {
    const { epoch, tick, generation } = judged.next;
    const [row] = (await m.query(
      `INSERT INTO queue_epoch (queue_prefix, epoch, tick, generation, incident, incident_at) VALUES ($1, $2, $3, $4, $5, CASE WHEN $5::text IS NULL THEN NULL ELSE now() END)
       ON CONFLICT (queue_prefix) DO UPDATE SET epoch = excluded.epoch, tick = excluded.tick, generation = excluded.generation,
         incident = coalesce(excluded.incident, queue_epoch.incident), incident_at = coalesce(excluded.incident_at, queue_epoch.incident_at),
         updated_at = now()
       RETURNING incident, incident_at`,
      [this.prefix, epoch, tick, generation, judged.incident],
    )) as { incident: QueueIncident | null; incident_at: Date | null }[];
    return row;
  }
}
