import { Inject, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { QueueName, jobCommandQueueName, type ProvisioningCommand } from '@roster/contracts';
import { Deferral, QueueWorkers, SERVICE_CONFIG, WorkerHolds, errorDetailsOf, errorMessage } from '@roster/platform';
import type { Job } from 'bullmq';
import type { ConnectorConfig } from '../config/connector.config';
import { CommandDeadLetters } from '../dead-letters/command-dead-letters';
import { ConnectorJob } from '../job-settings/connector-job';
import { CommandLog } from '../provisioning/command-log';
import { ExecuteCommandUseCase } from '../provisioning/execute-command.use-case';
import { QuarantineGate } from '../quarantine/quarantine-gate';

/** How soon a command taken while its job was paused looks again: once the job is on, within this. */
const PAUSED_RECHECK_MS = 1000;

/** A failure the target blamed on one attribute says which, so the log leads to the mapping to fix. */
function detailsOf(error: unknown): { details?: { attribute: string } } {
  const { attribute } = errorDetailsOf(error);
  return attribute === undefined ? {} : { details: { attribute } };
}

/**
 * Consumes its provisioning job's commands, from the job's own queue (see CommandDispatcher). A command either succeeds, waits without using up an attempt
 * (quarantine, 429, a write to the user still unsettled: a Deferral), is retried with backoff
 * (transient failure), or fails for good and goes to the dead-letter queue; every outcome is logged.
 */
@Injectable()
export class ExecuteCommandJob implements OnApplicationBootstrap {
  constructor(
    private readonly workers: QueueWorkers,
    private readonly useCase: ExecuteCommandUseCase,
    private readonly log: CommandLog,
    private readonly deadLetters: CommandDeadLetters,
    private readonly quarantine: QuarantineGate,
    private readonly job: ConnectorJob,
    @Inject(SERVICE_CONFIG) private readonly config: ConnectorConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const worker = this.workers.open(
      QueueName.ProvisioningCommands,
      {
        handle: (command, job) => this.run(command, job),
        rejected: (_payload, error, job) => this.log.recordRejection('provisioning command', error, job),
        deferred: (_command, deferral, job) => this.quarantine.deferred(job.id!, deferral),
        retrying: (command, error, job) =>
          this.log.record(command, job.attemptsMade + 1, {
            step: 'retried',
            status: 'warning',
            reason: `${errorMessage(error)}; will retry`,
            error: errorDetailsOf(error),
          }),
        failed: async (command, error, job) => {
          const attempts = job.attemptsMade + 1;
          const reason = errorMessage(error);
          await this.deadLetters.add(command, { reason, error: errorDetailsOf(error), attempts });
          await this.log.record(command, attempts, { step: 'failed', status: 'failure', reason, error: errorDetailsOf(error), ...detailsOf(error) });
        },
      },
      {
        concurrency: this.config.CONNECTOR_CONCURRENCY,
        retry: { baseDelayMs: this.config.RETRY_BASE_DELAY_MS, maxDelayMs: this.config.RETRY_MAX_DELAY_MS },
        queueName: jobCommandQueueName(this.config.PROVISIONING_JOB_ID),
      },
    );
    const holds = new WorkerHolds(worker);
    // Paused by its admin, the job keeps its queued commands and takes them up again when turned on.
    this.job.onState(({ state }) => holds.set('paused', state === 'paused').then(() => undefined));
    await holds.set('paused', this.job.paused);
    await this.quarantine.follow(holds);
  }

  private async run(command: ProvisioningCommand, job: Job): Promise<void> {
    // A command the worker was already fetching when the job was paused waits too, without using an attempt.
    if (this.job.paused) throw new Deferral(`provisioning job ${command.provisioningJobId} is paused`, PAUSED_RECHECK_MS, 'paused');
    try {
      await this.useCase.execute(command, job.attemptsMade + 1);
    } catch (error) {
      throw await this.quarantine.judge(error);
    }
    this.quarantine.recordSuccess();
  }
}
