import { Inject, Injectable } from '@nestjs/common';
import type IORedis from 'ioredis';
import { Gauge } from 'prom-client';
import { withTimeout } from '../async/with-timeout';
import { SERVICE_CONFIG } from '../config/config.module';
import type { BaseConfig } from '../config/config.loader';
import { MetricsService } from '../metrics/metrics.service';
import { REDIS } from '../redis/redis.tokens';
import { bullmqKey } from './bullmq-keys';

/** A scrape must answer even while Redis is away: its gauges are then left out, not stale. */
const READ_TIMEOUT_MS = 1000;

/** The lists and sorted sets BullMQ keeps a queue's unfinished jobs in, by the state they stand for. */
const STATES = [
  { state: 'wait', read: 'llen' },
  { state: 'active', read: 'llen' },
  { state: 'delayed', read: 'zcard' },
  { state: 'prioritized', read: 'zcard' },
  { state: 'failed', read: 'zcard' },
] as const;

/**
 * Depth and age of the queues this service consumes, read from Redis at each scrape (one pipeline
 * per queue). Every replica of a consumer reports the same figures: aggregate them with `max`.
 * The oldest waiting job is the right end of the wait list (BullMQ pushes on the left and takes
 * from the right); its age counts from when it was queued or, for a retried job, last taken.
 */
type Figures = { counts: number[]; oldestAgeSeconds: number };

@Injectable()
export class QueueGauges {
  private readonly queues = new Set<string>();
  /** One read of Redis serves both gauges: a scrape collects them at once. */
  private reading: Promise<Map<string, Figures>> | null = null;

  constructor(
    @Inject(REDIS) private readonly redis: IORedis,
    @Inject(SERVICE_CONFIG) private readonly config: BaseConfig,
    metrics: MetricsService,
  ) {
    const jobs: Gauge<'queue' | 'state'> = new Gauge({
      name: 'roster_queue_jobs',
      help: 'Jobs in a queue this service consumes, by state (wait, active, delayed, prioritized, failed)',
      labelNames: ['queue', 'state'] as const,
      registers: [metrics.registry],
      collect: async () => {
        const figures = await this.figures();
        jobs.reset();
        for (const [queue, { counts }] of figures) STATES.forEach(({ state }, i) => jobs.set({ queue, state }, counts[i]));
      },
    });
    const oldest: Gauge<'queue'> = new Gauge({
      name: 'roster_queue_oldest_waiting_job_age_seconds',
      help: 'Age of the oldest job waiting in a queue this service consumes (0 when none waits)',
      labelNames: ['queue'] as const,
      registers: [metrics.registry],
      collect: async () => {
        const figures = await this.figures();
        oldest.reset();
        for (const [queue, { oldestAgeSeconds }] of figures) oldest.set({ queue }, oldestAgeSeconds);
      },
    });
  }

  /** Called for each queue a worker is opened on. */
  watch(queue: string): void {
    this.queues.add(queue);
  }

  private figures(): Promise<Map<string, Figures>> {
    this.reading ??= this.readAll().finally(() => (this.reading = null));
    return this.reading;
  }

  private async readAll(): Promise<Map<string, Figures>> {
    const read = await Promise.all(
      [...this.queues].map(async (queue) => [queue, await withTimeout(this.read(queue), READ_TIMEOUT_MS, `queue depth of ${queue}`).catch(() => null)] as const),
    );
    return new Map(read.filter((entry): entry is [string, Figures] => entry[1] !== null));
  }

  private async read(queue: string): Promise<Figures> {
    const key = (type: string) => bullmqKey(this.config.QUEUE_PREFIX, queue, type);
    const pipeline = this.redis.pipeline();
    for (const { state, read } of STATES) pipeline[read](key(state));
    pipeline.lindex(key('wait'), -1);
    pipeline.time();
    const replies = (await pipeline.exec()) ?? [];
    const failed = replies.find(([error]) => error);
    if (failed) throw failed[0];
    const values = replies.map(([, value]) => value);
    const counts = values.slice(0, STATES.length).map(Number);
    const oldestId = values[STATES.length] as string | null;
    const [seconds, micros] = values[STATES.length + 1] as [string, string];
    if (oldestId === null) return { counts, oldestAgeSeconds: 0 };
    const [timestamp, processedOn] = await this.redis.hmget(key(oldestId), 'timestamp', 'processedOn');
    // Redis' clock, not this host's: replicas with skewed clocks still agree.
    const now = Number(seconds) * 1000 + Number(micros) / 1000;
    const since = Math.max(Number(timestamp ?? now), Number(processedOn ?? 0));
    return { counts, oldestAgeSeconds: Math.max(0, (now - since) / 1000) };
  }
}
