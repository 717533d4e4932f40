import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { QueueName, type ProvisioningCommand } from '@roster/contracts';
import { ProvisioningJobRecords, QueueWorkers, REDIS, SERVICE_CONFIG, errorDetailsOf, errorMessage, jobOptions } from '@roster/platform';
import type { Job } from 'bullmq';
import type IORedis from 'ioredis';
import type { ConnectorConfig } from '../config/connector.config';
import { JobCommandQueues } from '../job-queues/job-command-queues';
import { CommandLog } from '../provisioning/command-log';

/** Moving a command is one Redis write, so many run at once; none ever waits on GoTo. */
const DISPATCH_CONCURRENCY = 32;

/**
 * Moves every command from the shared provisioning-commands queue (the intake all producers use)
 * into its provisioning job's own queue, keeping its job id, so a command moved twice (a crash
 * between the move and the intake's acknowledgement) is still stored once. Every connector runs
 * one, whichever job it serves: a job whose connector is busy, throttled, quarantined or paused
 * never holds the intake, and so never delays another job's commands.
 */
@Injectable()
export class CommandDispatcher implements OnApplicationBootstrap {
  private readonly logger = new Logger(CommandDispatcher.name);
  private readonly known = new Set<string>();

  constructor(
    private readonly workers: QueueWorkers,
    private readonly queues: JobCommandQueues,
    private readonly records: ProvisioningJobRecords,
    private readonly log: CommandLog,
    @Inject(REDIS) private readonly redis: IORedis,
    @Inject(SERVICE_CONFIG) private readonly config: ConnectorConfig,
  ) {
    this.known.add(config.PROVISIONING_JOB_ID);
  }

  /** The jobs some connector of this installation serves, with or without a record (its environment's job). */
  private get servedKey(): string {
    return [this.config.QUEUE_PREFIX, 'connector', 'served-jobs'].join(':');
  }

  async onApplicationBootstrap(): Promise<void> {
    // Before taking anything: another connector's dispatcher must know this job's commands have a taker.
    await this.redis.sadd(this.servedKey, this.config.PROVISIONING_JOB_ID);
    this.workers.open(
      QueueName.ProvisioningCommands,
      {
        handle: (command, job) => this.dispatch(command, job),
        rejected: (_payload, error, job) => this.log.recordRejection('provisioning command', error, job),
        failed: (command, error, job) =>
          this.log.record(command, job.attemptsMade + 1, { step: 'failed', status: 'failure', reason: `not queued for its job: ${errorMessage(error)}`, error: errorDetailsOf(error) }),
      },
      { concurrency: DISPATCH_CONCURRENCY, retry: { baseDelayMs: this.config.RETRY_BASE_DELAY_MS, maxDelayMs: this.config.RETRY_MAX_DELAY_MS } },
    );
  }

  private async dispatch(command: ProvisioningCommand, job: Job): Promise<void> {
    const jobId = command.provisioningJobId;
    if (!(await this.exists(jobId))) return this.refuse(command, job);
    await this.queues.of(jobId).add(job.name, command, jobOptions(QueueName.ProvisioningCommands, job.id!));
  }

  /** A job with a record, or one a connector serves: its commands wait in its queue for its connector. */
  private async exists(jobId: string): Promise<boolean> {
    if (this.known.has(jobId)) return true;
    const [records, served] = await Promise.all([this.records.revisions(), this.redis.smembers(this.servedKey)]);
    for (const id of [...records.keys(), ...served]) this.known.add(id);
    return this.known.has(jobId);
  }

  /**
   * A command of a provisioning job without a record that no connector serves is never executed: no target or credentials are
   * known for it. It is logged as rejected, neither retried nor dead-lettered, since no re-drive
   * could give it a job.
   */
  private async refuse(command: ProvisioningCommand, job: Job): Promise<void> {
    const reason =
      `unknown provisioning job "${command.provisioningJobId}": this connector serves "${this.config.PROVISIONING_JOB_ID}" ` +
      `(PROVISIONING_JOB_ID), and no job record nor other connector has that id; the command was not executed`;
    this.logger.warn({ jobId: job.id, provisioningJobId: command.provisioningJobId, userId: command.userId }, reason);
    await this.log.record(command, job.attemptsMade + 1, { step: 'rejected', status: 'failure', reason });
  }
}
