import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { QueueName, type ProvisioningCommandEnvelope } from '@roster/contracts';
import { CLOCK, ProvisioningJobRecords, QueueWorkers, REDIS, SERVICE_CONFIG, commandsOf, errorDetailsOf, errorMessage, jobOptions, type Clock } from '@roster/platform';
import type { Job } from 'bullmq';
import type IORedis from 'ioredis';
import type { ConnectorConfig } from '../config/connector.config';
import { ConnectorJob } from '../job-settings/connector-job';
import { JobCommandQueues } from '../job-queues/job-command-queues';
import { CommandLog } from '../provisioning/command-log';

/** Moving a command is one Redis write, so many run at once; none ever waits on GoTo. */
const DISPATCH_CONCURRENCY = 32;
/**
 * How long a connector's word that it serves its job holds, renewed three times within it: a
 * connector that stopped (or a deployment that dropped a job) is no longer counted once it lapses,
 * while a renewal missed to a slow Redis call does not make a running one vanish.
 */
export const SERVING_LEASE_MS = 30_000;

/**
 * Moves every command from the shared provisioning-commands queue (the intake all producers use)
 * into its provisioning job's own queue, keeping its job id, so a command moved twice (a crash
 * between the move and the intake's acknowledgement) is still stored once. Every connector runs
 * one, whichever job it serves: a job whose connector is busy, throttled, quarantined or paused
 * never holds the intake, and so never delays another job's commands.
 */
@Injectable()
export class CommandDispatcher implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(CommandDispatcher.name);
  /** Jobs without a record that a running connector serves, until its lease ends (clock time). */
  private readonly served = new Map<string, number>();
  private renewal: NodeJS.Timeout | undefined;

  constructor(
    private readonly workers: QueueWorkers,
    private readonly queues: JobCommandQueues,
    private readonly records: ProvisioningJobRecords,
    private readonly job: ConnectorJob,
    private readonly log: CommandLog,
    @Inject(REDIS) private readonly redis: IORedis,
    @Inject(SERVICE_CONFIG) private readonly config: ConnectorConfig,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** Each job some connector of this installation serves, scored by when that connector's lease ends. */
  private get servingKey(): string {
    return [this.config.QUEUE_PREFIX, 'connector', 'serving'].join(':');
  }

  async onApplicationBootstrap(): Promise<void> {
    // Before taking anything: another connector's dispatcher must know this job's commands have a taker.
    await this.renewLease();
    this.renewal = setInterval(() => {
      this.renewLease().catch((error: unknown) => this.logger.warn({ err: errorMessage(error) }, 'could not renew the serving lease; the next renewal tries again'));
    }, SERVING_LEASE_MS / 3);
    this.renewal.unref();
    this.workers.open(
      QueueName.ProvisioningCommands,
      {
        handle: (batch, job) => this.dispatch(batch, job),
        rejected: (_payload, error, job) => this.log.recordRejection('provisioning command batch', error, job),
        failed: (batch, error, job) =>
          this.log.recordEach(commandsOf(batch), job.attemptsMade + 1, { step: 'failed', status: 'failure', reason: `not queued for its job: ${errorMessage(error)}`, error: errorDetailsOf(error) }),
      },
      { concurrency: DISPATCH_CONCURRENCY, retry: { baseDelayMs: this.config.RETRY_BASE_DELAY_MS, maxDelayMs: this.config.RETRY_MAX_DELAY_MS } },
    );
  }

  /** The lease is left to lapse: another replica of the same job may still be running. */
  onApplicationShutdown(): void {
    clearInterval(this.renewal);
  }

  /** Keeps this connector's job counted as served, and drops the jobs whose connectors' leases have lapsed. */
  private async renewLease(): Promise<void> {
    const now = this.clock();
    await this.redis
      .multi()
      // GT: a replica whose clock is behind never shortens another's lease.
      .zadd(this.servingKey, 'GT', now + SERVING_LEASE_MS, this.config.PROVISIONING_JOB_ID)
      .zremrangebyscore(this.servingKey, '-inf', `(${now}`)
      .exec();
  }

  private async dispatch(batch: ProvisioningCommandEnvelope, job: Job): Promise<void> {
    const jobId = batch.provisioningJobId;
    if (!(await this.exists(jobId))) return this.refuse(batch, job);
    await this.queues.of(jobId).add(job.name, batch, jobOptions(QueueName.ProvisioningCommands, job.id!, 1, batch.priorAttempts));
  }

  /**
   * A job with a record, or one a running connector serves: its commands wait in its queue for its
   * connector. A deleted record or a connector whose lease lapsed no longer counts, so a deleted or
   * dropped job's commands are refused instead of piling up in a queue no one takes from.
   */
  private async exists(jobId: string): Promise<boolean> {
    const now = this.clock();
    if (this.job.knows(jobId) || (this.served.get(jobId) ?? 0) > now) return true;
    // A record made since the catalog's last read, or a connector that started since ours looked.
    const [records, serving] = await Promise.all([this.records.revisions(), this.redis.zrangebyscore(this.servingKey, `(${now}`, '+inf', 'WITHSCORES')]);
    this.served.clear();
    for (let i = 0; i < serving.length; i += 2) this.served.set(serving[i]!, Number(serving[i + 1]));
    return records.has(jobId) || this.served.has(jobId);
  }

  /**
   * A command of a provisioning job without a record that no connector serves is never executed: no target or credentials are
   * known for it. It is logged as rejected, neither retried nor dead-lettered, since no re-drive
   * could give it a job.
   */
  private async refuse(batch: ProvisioningCommandEnvelope, job: Job): Promise<void> {
    const reason =
      `unknown provisioning job "${batch.provisioningJobId}": this connector serves "${this.config.PROVISIONING_JOB_ID}" ` +
      `(PROVISIONING_JOB_ID), and no job record nor other running connector has that id; the command was not executed`;
    this.logger.warn({ jobId: job.id, provisioningJobId: batch.provisioningJobId, commands: batch.commands.length }, reason);
    await this.log.recordEach(commandsOf(batch), job.attemptsMade + 1, { step: 'rejected', status: 'failure', reason });
  }
}
