/**
 * What PostgreSQL and Redis each remember of the installation's queue epoch. `epoch` names one life
 * of Redis's data; `tick` advances at every check, in PostgreSQL first and then in Redis, so Redis
 * never holds a tick PostgreSQL has not committed; `generation` counts incidents and goes into every
 * job id (see jobIdFor).
 */
export interface EpochMark {
  epoch: string;
  tick: number;
  generation: number;
}

export const QueueIncident = {
  /** Redis has no epoch although PostgreSQL remembers one: its data is gone (restart without AOF, flush). */
  RedisDataLost: 'redis-data-lost',
  /** Redis holds another epoch than PostgreSQL remembers: a different or older Redis is in use. */
  RedisReplaced: 'redis-replaced',
  /** Redis has seen a later tick than PostgreSQL holds: PostgreSQL went back in time (restored from a backup). */
  PostgresRestored: 'postgres-restored',
} as const;
export type QueueIncident = (typeof QueueIncident)[keyof typeof QueueIncident];

export interface EpochJudgement {
  /** What both stores hold once the check has run. */
  next: EpochMark;
  incident: QueueIncident | null;
}

/**
 * Compares the two memories and decides what both hold next. Every incident starts a new generation
 * above both sides', so no job id produced afterwards can equal one Redis still remembers.
 */
export function judgeEpoch(pg: EpochMark | null, redis: EpochMark | null, newEpoch: () => string): EpochJudgement {
  if (pg === null && redis === null) return { next: { epoch: newEpoch(), tick: 1, generation: 1 }, incident: null };
  if (pg === null) return incident(QueueIncident.PostgresRestored, redis!.epoch, redis!, redis!);
  if (redis === null) return incident(QueueIncident.RedisDataLost, newEpoch(), pg, pg);
  if (redis.epoch !== pg.epoch) return incident(QueueIncident.RedisReplaced, newEpoch(), pg, redis);
  if (redis.tick > pg.tick || redis.generation > pg.generation) return incident(QueueIncident.PostgresRestored, pg.epoch, pg, redis);
  return { next: { epoch: pg.epoch, tick: pg.tick + 1, generation: pg.generation }, incident: null };
}

function incident(kind: QueueIncident, epoch: string, a: EpochMark, b: EpochMark): EpochJudgement {
  return {
    next: { epoch, tick: Math.max(a.tick, b.tick) + 1, generation: Math.max(a.generation, b.generation) + 1 },
    incident: kind,
  };
}
