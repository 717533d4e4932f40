import { Inject, Injectable, Logger, type BeforeApplicationShutdown } from '@nestjs/common';
import { DelayedError, UnrecoverableError, Worker, type Job } from 'bullmq';
import {
  ContractViolationError,
  queueContracts,
  type QueueMessage,
  type QueueName,
} from '@roster/contracts';
import { SERVICE_CONFIG } from '../config/config.module';
import type { BaseConfig } from '../config/config.loader';
import { errorMessage } from '../errors/error-message';
import { MetricsService } from '../metrics/metrics.service';
import { withLogContext } from '../observability/log-context';
import { Tracing } from '../observability/tracing';
import { redisOptionsOf } from '../redis/redis-options';
import { QueueEpochMonitor } from '../queue-epoch/queue-epoch.monitor';
import { ROSTER_BACKOFF } from './job-options';
import { QueueGauges } from './queue-gauges';
import type { MessageProducer } from './message-producer';
import { Deferral, backoffDelay, isDatabaseUnavailable, isPermanent, type RetryPolicy } from './retry-policy';

export interface MessageHandler<Q extends QueueName> {
  handle(message: QueueMessage<Q>, job: Job): Promise<void>;
  /** The payload broke the queue's contract; the job fails at once and is never retried. */
  rejected?(payload: unknown, error: ContractViolationError, job: Job): Promise<void>;
  /** An attempt failed and BullMQ will retry it after a backoff. */
  retrying?(message: QueueMessage<Q>, error: unknown, job: Job): Promise<void>;
  /** The handler deferred the message (threw a Deferral): it runs again after the delay, without using up an attempt. */
  deferred?(message: QueueMessage<Q>, deferral: Deferral, job: Job): Promise<void>;
  /** The last attempt failed, or the error was permanent: the message will not be retried. */
  failed?(message: QueueMessage<Q>, error: unknown, job: Job): Promise<void>;
}

/** How long a message waits for PostgreSQL to be back before it is tried again (no attempt used). */
const DATABASE_WAIT_MS = 1000;

export interface WorkerOptions {
  concurrency: number;
  retry: RetryPolicy;
  /** The BullMQ queue to consume when it is one partition of `queue`'s messages (a job's own command queue). */
  queueName?: string;
}

/**
 * Opens BullMQ workers and wraps every job the same way: parse the payload at the boundary, time
 * and count the job, turn what the handler threw into one of three outcomes (deferred: wait without
 * using up an attempt, as when PostgreSQL is unreachable; retried with backoff; failed for good),
 * tell the handler which, and close the workers
 * (letting in-flight jobs finish) before producers and connections shut down.
 */
@Injectable()
export class QueueWorkers implements BeforeApplicationShutdown {
  private readonly logger = new Logger(QueueWorkers.name);
  private readonly workers: Worker[] = [];
  private readonly producers: MessageProducer<QueueName>[] = [];
  private readonly databasePort: number;

  constructor(
    @Inject(SERVICE_CONFIG) private readonly config: BaseConfig,
    private readonly metrics: MetricsService,
    epoch: QueueEpochMonitor,
    private readonly gauges: QueueGauges,
    private readonly tracing: Tracing,
  ) {
    this.databasePort = Number(new URL(config.DATABASE_URL).port || 5432);
    epoch.onRedisRestart(() => this.resendRecent());
  }

  /** After a restart of Redis, whose append-only file may lack its last writes: see RecentJobs. */
  private async resendRecent(): Promise<void> {
    const counts = await Promise.all(this.producers.map(async (p) => [p.queueName, await p.resendRecent()] as const));
    const resent = Object.fromEntries(counts.filter(([, n]) => n > 0));
    this.logger.warn({ resent }, 'Redis restarted: the messages of the last seconds are queued again, in case it lost them');
  }

  trackProducer<P extends MessageProducer<QueueName>>(producer: P): P {
    this.producers.push(producer);
    return producer;
  }

  open<Q extends QueueName>(queue: Q, handler: MessageHandler<Q>, options: WorkerOptions): Worker {
    const processJob = (job: Job) => {
      const correlationId = correlationIdOf(job);
      this.tracing.annotate({ 'roster.correlation_id': correlationId, 'roster.queue': queue });
      return withLogContext({ correlationId, queue, jobId: String(job.id) }, () => this.run(queue, handler, job));
    };
    const worker = new Worker(options.queueName ?? queue, processJob, {
      connection: redisOptionsOf(this.config),
      prefix: this.config.QUEUE_PREFIX,
      telemetry: this.tracing.bullmq,
      concurrency: options.concurrency,
      lockDuration: this.config.QUEUE_LOCK_MS,
      stalledInterval: this.config.QUEUE_STALLED_CHECK_MS,
      // A job is failed as "stalled too often" only after several worker deaths, not after one restart.
      maxStalledCount: 5,
      settings: {
        backoffStrategy: (attemptsMade, type, err) =>
          type === ROSTER_BACKOFF ? backoffDelay(attemptsMade, options.retry, err) : 1000,
      },
    });
    worker.on('error', (err) => this.logger.error({ queue, err: err.message }, 'worker error'));
    this.workers.push(worker);
    this.gauges.watch(options.queueName ?? queue);
    return worker;
  }

  async beforeApplicationShutdown(): Promise<void> {
    const grace = this.config.SHUTDOWN_GRACE_MS;
    const closing = Promise.all(this.workers.map((w) => w.close()));
    const timedOut = await Promise.race([
      closing.then(() => false),
      new Promise<boolean>((r) => setTimeout(() => r(true), grace).unref()),
    ]);
    if (timedOut) {
      this.logger.warn({ graceMs: grace }, 'in-flight jobs did not finish in time; they will be retried');
      await Promise.all(this.workers.map((w) => w.close(true)));
    }
    await Promise.all(this.producers.map((p) => p.drain()));
  }

  /**
   * What becomes of a message whose `attempt` (of `attempts`) threw `thrown`: deferred (PostgreSQL
   * unreachable counts as a Deferral, with a little jitter so many deferred messages do not all wake
   * at once), retried, or failed for good (a permanent error, or the last attempt). One judgement
   * for a job and for each message of a batch handled one by one.
   */
  outcomeOf(thrown: unknown, attempt: number, attempts: number): FailureOutcome {
    const error = isDatabaseUnavailable(thrown, this.databasePort) ? new Deferral(`PostgreSQL unavailable: ${errorMessage(thrown)}`, DATABASE_WAIT_MS, 'database') : thrown;
    if (error instanceof Deferral) return { kind: 'deferred', deferral: error, delayMs: error.delayMs + Math.round(Math.random() * Math.min(250, error.delayMs / 4)) };
    const permanent = isPermanent(error) || error instanceof UnrecoverableError;
    return permanent || attempt >= attempts ? { kind: 'failed', error, permanent } : { kind: 'retrying', error };
  }

  /**
   * Counts the outcome of a job, or of one message of a batch handled on its own (rejected, put back
   * to wait or to be retried alone, failed for good) alike: alerts on failures see both. A deferral
   * is counted as `delayed`.
   */
  countOutcome(queue: QueueName, outcome: FailureOutcome['kind'] | 'rejected'): void {
    this.metrics.jobsTotal.inc({ queue, outcome: outcome === 'deferred' ? 'delayed' : outcome });
  }

  private async run<Q extends QueueName>(queue: Q, handler: MessageHandler<Q>, job: Job): Promise<void> {
    const started = process.hrtime.bigint();
    if (job.attemptsStarted <= 1) this.metrics.jobWait.observe({ queue }, Math.max(0, (job.processedOn ?? Date.now()) - job.timestamp - (job.opts.delay ?? 0)) / 1000);
    const parsed = queueContracts[queue].safeParse(job.data);
    if (!parsed.success) {
      const error = ContractViolationError.fromZod(`${queue} message`, parsed.error);
      this.logger.warn({ queue, jobId: job.id, jobName: job.name, reason: error.message }, 'rejected malformed message');
      this.countOutcome(queue, 'rejected');
      await handler.rejected?.(job.data, error, job);
      throw new UnrecoverableError(error.message);
    }
    const message = parsed.data as QueueMessage<Q>;
    try {
      await handler.handle(message, job);
      this.metrics.jobsTotal.inc({ queue, outcome: 'completed' });
    } catch (thrown) {
      const outcome = this.outcomeOf(thrown, job.attemptsMade + 1, job.opts.attempts ?? 1);
      if (outcome.kind === 'deferred') {
        await job.moveToDelayed(Date.now() + outcome.delayMs, job.token);
        this.countOutcome(queue, outcome.kind);
        await handler.deferred?.(message, outcome.deferral, job);
        throw new DelayedError(outcome.deferral.message);
      }
      const { error } = outcome;
      const last = outcome.kind === 'failed';
      const reason = errorMessage(error);
      this.countOutcome(queue, outcome.kind);
      this.logger.warn({ queue, jobId: job.id, correlationId: correlationIdOf(job), attempt: job.attemptsMade + 1, reason, willRetry: !last }, 'job failed');
      if (last) {
        await handler.failed?.(message, error, job);
        throw outcome.permanent ? new UnrecoverableError(reason) : error;
      }
      await handler.retrying?.(message, error, job);
      throw error;
    } finally {
      this.metrics.jobDuration.observe({ queue }, Number(process.hrtime.bigint() - started) / 1e9);
    }
  }
}

/** What becomes of a message whose handling threw: it waits without using up an attempt, is retried, or has failed for good. */
export type FailureOutcome =
  | { kind: 'deferred'; deferral: Deferral; delayMs: number }
  | { kind: 'retrying'; error: unknown }
  | { kind: 'failed'; error: unknown; permanent: boolean };

/**
 * The message's correlation id, read by shape: a batch has none of its own and goes by the change
 * its messages share (a batch of one, say: its log lines are searched by that change), else by its id.
 */
function correlationIdOf(job: Job): string {
  const data = (typeof job.data === 'object' && job.data !== null ? job.data : {}) as { correlationId?: unknown; id?: unknown; commands?: unknown };
  const id = data.correlationId ?? sharedCorrelationId(data.commands) ?? data.id;
  return typeof id === 'string' ? id : String(job.id);
}

function sharedCorrelationId(messages: unknown): unknown {
  if (!Array.isArray(messages)) return undefined;
  const ids = new Set(messages.map((m: unknown) => (typeof m === 'object' && m !== null ? (m as { correlationId?: unknown }).correlationId : undefined)));
  return ids.size === 1 ? [...ids][0] : undefined;
}
