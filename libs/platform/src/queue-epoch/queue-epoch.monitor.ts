import {
  Inject,
  Injectable,
  Logger,
  type BeforeApplicationShutdown,
  type OnApplicationBootstrap,
  type OnModuleInit,
} from '@nestjs/common';
import type IORedis from 'ioredis';
import { DataSource } from 'typeorm';
import { SERVICE_CONFIG, SERVICE_NAME } from '../config/config.module';
import type { BaseConfig } from '../config/config.loader';
import { errorMessage } from '../errors/error-message';
import { MetricsService } from '../metrics/metrics.service';
import { redisReconnectDelay } from '../redis/redis-options';
import { REDIS } from '../redis/redis.tokens';
import { QueueIncident } from './epoch-judgement';
import { QueueEpochStore, type EpochState } from './queue-epoch.store';

/** What a service is told when Redis and PostgreSQL no longer agree on what was queued. */
export interface NoticedIncident {
  incident: QueueIncident;
  generation: number;
  detectedAt: Date | null;
}

/**
 * A service's way back to a complete state after an incident: it must bring back, from what
 * PostgreSQL holds and the directory says, everything queued work may have lost. It should only
 * record durably that the work is due and start it: it runs inside the check, and the incident
 * counts as handled once it returns (when it throws, the next check calls it again).
 */
export type QueueRecovery = (incident: NoticedIncident) => Promise<void>;

const WHAT_HAPPENED: Record<QueueIncident, string> = {
  [QueueIncident.RedisDataLost]: 'Redis lost its data (restarted without AOF, or flushed): queued messages are gone',
  [QueueIncident.RedisReplaced]: 'Redis holds another installation epoch (a different or restored Redis): queued messages may be gone',
  [QueueIncident.PostgresRestored]: 'PostgreSQL went back in time (restored from a backup): its state is older than the queues',
};

/**
 * Notices when Redis lost its data or PostgreSQL was restored, and knows the generation every job
 * id carries. It checks the queue epoch (see QueueEpochStore) at start, every QUEUE_EPOCH_CHECK_MS
 * and whenever Redis comes back after a disconnection. Each service notices each incident once,
 * whichever found it, says so at error level and counts it, then runs its recoveries: the one place
 * where recovery is triggered.
 */
@Injectable()
export class QueueEpochMonitor implements OnModuleInit, OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(QueueEpochMonitor.name);
  private readonly store: QueueEpochStore;
  private readonly recoveries: QueueRecovery[] = [];
  private readonly restartListeners: (() => Promise<void>)[] = [];
  private redisRunId: string | null = null;
  private readonly known: Promise<number>;
  private resolveKnown!: (generation: number) => void;
  private current = 0;
  private bootstrapped = false;
  private stopped = false;
  private timer: NodeJS.Timeout | null = null;
  private checking: Promise<void> | null = null;
  private again = false;
  private readonly onReady = () => this.check();

  constructor(
    @Inject(SERVICE_CONFIG) private readonly config: BaseConfig,
    @Inject(SERVICE_NAME) private readonly service: string,
    @Inject(REDIS) private readonly redis: IORedis,
    private readonly metrics: MetricsService,
    db: DataSource,
  ) {
    this.store = new QueueEpochStore(db, redis, config.QUEUE_PREFIX);
    this.known = new Promise((resolve) => (this.resolveKnown = resolve));
  }

  /** The generation job ids carry; waits for the first check, so no id is made before it is known. */
  generation(): Promise<number> {
    return this.known;
  }

  /** Registers a recovery; incidents found before the application has started are handled once it has. */
  onIncident(recovery: QueueRecovery): void {
    this.recoveries.push(recovery);
  }

  /**
   * Registers what to do when Redis restarted but kept its data (AOF): the last second or two of
   * writes may be missing, which no epoch shows.
   */
  onRedisRestart(listener: () => Promise<void>): void {
    this.restartListeners.push(listener);
  }

  /** The first check runs before any service produces, so their job ids carry the right generation. */
  async onModuleInit(): Promise<void> {
    for (let attempt = 1; !this.stopped; attempt++) {
      try {
        await this.advance();
        return;
      } catch (error) {
        this.logger.warn({ err: errorMessage(error), attempt }, 'queue epoch check failed at start; trying again');
        await new Promise((r) => setTimeout(r, redisReconnectDelay(attempt)));
      }
    }
  }

  onApplicationBootstrap(): void {
    this.bootstrapped = true;
    this.timer = setInterval(() => this.check(), this.config.QUEUE_EPOCH_CHECK_MS);
    this.redis.on('ready', this.onReady);
    this.check();
  }

  /** Before connections close, so a check under way can finish. */
  async beforeApplicationShutdown(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    this.redis.off('ready', this.onReady);
    await this.checking;
  }

  /** Runs a check now, or right after the one under way. */
  check(): Promise<void> {
    if (this.stopped) return Promise.resolve();
    if (this.checking) {
      this.again = true;
      return this.checking;
    }
    this.checking = this.advance()
      .catch((error) => this.logger.warn({ err: errorMessage(error) }, 'queue epoch check failed; the next one tries again'))
      .finally(() => {
        this.checking = null;
        if (this.again) {
          this.again = false;
          void this.check();
        }
      });
    return this.checking;
  }

  private async advance(): Promise<void> {
    const runId = await this.store.redisRunId();
    const restarted = this.redisRunId !== null && runId !== this.redisRunId;
    this.redisRunId = runId;
    const state = await this.store.advance();
    this.current = state.mark.generation;
    this.metrics.queueGeneration.set(this.current);
    this.resolveKnown(this.current);
    if (restarted) for (const listener of this.restartListeners) await listener();
    if (this.bootstrapped) await this.recoverIfDue(state);
  }

  private async recoverIfDue(state: EpochState): Promise<void> {
    const generation = state.mark.generation;
    const recovered = await this.store.recoveredGeneration(this.service);
    // A service's first check on a new installation has nothing to recover from.
    const due = recovered === null ? generation > 1 : recovered < generation;
    if (!due || state.incident === null) {
      if (recovered === null || recovered < generation) await this.store.markRecovered(this.service, generation);
      return;
    }
    const noticed: NoticedIncident = { incident: state.incident, generation, detectedAt: state.incidentAt };
    this.metrics.queueIncidents.inc({ incident: state.incident });
    this.logger.error(
      { ...noticed, detectedHere: state.detectedNow, queuePrefix: this.config.QUEUE_PREFIX, recoveries: this.recoveries.length },
      `${WHAT_HAPPENED[state.incident]}; recovering everything not confirmed (job ids now carry generation ${generation})`,
    );
    for (const recover of this.recoveries) await recover(noticed);
    await this.store.markRecovered(this.service, generation);
  }
}
