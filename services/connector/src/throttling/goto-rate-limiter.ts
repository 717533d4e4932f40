import { Inject, Injectable, Logger, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import type { GotoApi } from '@roster/goto-client';
import { MetricsService, REDIS, SERVICE_CONFIG } from '@roster/platform';
import type IORedis from 'ioredis';
import { Counter, Histogram } from 'prom-client';
import type { ConnectorConfig } from '../config/connector.config';
import { ConnectorJob } from '../job-settings/connector-job';
import { connectorKey } from '../redis/connector-keys';
import { RedisRateLimiter, type PauseNotice, type RateLimitKeys } from './redis-rate-limiter';

const GOTO_APIS: readonly GotoApi[] = ['auth', 'scim', 'admin'];

/**
 * GoTo's rate limit, kept in Redis for the whole provisioning job: every replica's requests to one
 * API family draw from one budget of GOTO_RATE_LIMIT_PER_SECOND, and a 429 pauses that family for
 * every replica until Retry-After has passed. Each replica books its slots in blocks (see SlotLane);
 * a pause is announced on a channel, on which every replica drops what it has booked.
 */
@Injectable()
export class GotoRateLimiter implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(GotoRateLimiter.name);
  private limiter: RedisRateLimiter;
  private limit: number;
  private readonly pauseChannel: string;
  private subscriber: IORedis | undefined;
  private readonly waits: Histogram<'api'>;
  private readonly refusals: Counter<'api'>;

  constructor(
    @Inject(REDIS) private readonly redis: IORedis,
    @Inject(SERVICE_CONFIG) private readonly config: ConnectorConfig,
    job: ConnectorJob,
    metrics: MetricsService,
  ) {
    this.pauseChannel = connectorKey(config, 'rate-pauses');
    this.waits = new Histogram({
      name: 'roster_goto_rate_limit_wait_seconds',
      help: 'Time a request to GoTo waited for the shared rate limit, by API family',
      labelNames: ['api'] as const,
      buckets: [0.001, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 15, 60],
      registers: [metrics.registry],
    });
    this.refusals = new Counter({
      name: 'roster_goto_rate_limited_total',
      help: 'GoTo answers 429 (every replica then pauses that API family), by API family',
      labelNames: ['api'] as const,
      registers: [metrics.registry],
    });
    this.limit = job.current.settings.goto.rateLimitPerSecond;
    this.limiter = this.limiterFor(this.limit);
    // An admin's new limit applies from the next admission, in every replica as its record is read.
    job.onSettings(({ settings }) => {
      this.limit = settings.goto.rateLimitPerSecond;
      this.limiter = this.limiterFor(this.limit);
    });
  }

  onModuleInit(): void {
    // A connection of its own: one that subscribes can send nothing else. It subscribes again after a
    // reconnect. Start-up does not wait for it: until it listens, a pause elsewhere reaches this
    // replica when the slots it booked run out.
    const subscriber = this.redis.duplicate();
    this.subscriber = subscriber;
    subscriber.on('message', (_channel: string, message: string) => this.limiter.paused(JSON.parse(message) as PauseNotice));
    subscriber.subscribe(this.pauseChannel).catch((error: unknown) => this.logger.error({ err: (error as Error).message }, 'could not follow GoTo rate-limit pauses'));
  }

  async onApplicationShutdown(): Promise<void> {
    await this.subscriber?.quit().catch(() => this.subscriber?.disconnect());
  }

  /** Requests per second per API family, as the job's settings say now. */
  get perSecond(): number {
    return this.limit;
  }

  private limiterFor(perSecond: number): RedisRateLimiter {
    // A quarter of the guard absorbs timer lateness at Redis (catch-up), a quarter a booked slot
    // used late; the rest, the spread between admission here and arrival at GoTo (larger while
    // connections are first opened).
    const guard = this.config.GOTO_RATE_LIMIT_GUARD_MS;
    return new RedisRateLimiter(this.redis, perSecond, 1000 + guard, guard / 4, { pauseChannel: this.pauseChannel });
  }

  /** The client's beforeRequest hook: resolves when a request to `api` may go out. */
  async acquire(api: GotoApi): Promise<void> {
    const started = performance.now();
    await this.limiter.acquire(this.keys(api));
    this.waits.observe({ api }, (performance.now() - started) / 1000);
  }

  /** The client's onRateLimited hook. It cannot wait, so the pause is set in the background. */
  rateLimited(retryAfterMs: number, api: GotoApi): void {
    this.refusals.inc({ api });
    this.limiter.pause(this.keys(api), retryAfterMs).then(
      (until) => this.logger.warn({ api, retryAfterMs, pausedUntil: new Date(until).toISOString() }, 'GoTo answered 429; every replica pauses this API'),
      (error: unknown) => this.logger.error({ api, err: (error as Error).message }, 'could not record the GoTo rate-limit pause'),
    );
  }

  /** Ends of the current pauses per API family, for the status page. */
  async pauses(): Promise<Record<GotoApi, string | null>> {
    const ends = await Promise.all(GOTO_APIS.map((api) => this.limiter.pausedUntil(this.keys(api))));
    return Object.fromEntries(GOTO_APIS.map((api, i) => [api, ends[i] === null ? null : new Date(ends[i]!).toISOString()])) as Record<
      GotoApi,
      string | null
    >;
  }

  private keys(api: GotoApi): RateLimitKeys {
    return { schedule: connectorKey(this.config, 'rate', api), pause: connectorKey(this.config, 'rate-pause', api) };
  }
}
