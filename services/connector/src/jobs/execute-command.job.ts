import { InjectQueue } from '@nestjs/bullmq';
import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { QueueName, type ProvisioningCommand } from '@roster/contracts';
import { AuditEmitter, PermanentError, QueueWorkers, SERVICE_CONFIG, errorMessage } from '@roster/platform';
import { DelayedError, type Job, type Queue } from 'bullmq';
import type { ConnectorConfig } from '../config/connector.config';
import { DeadLetterRepository } from '../dead-letters/dead-letter.repository';
import { MapperFeedback } from '../dead-letters/mapper-feedback';
import { CommandDeferral } from '../provisioning/command-deferral';
import { ExecuteCommandUseCase } from '../provisioning/execute-command.use-case';
import { CircuitBreaker } from '../quarantine/circuit-breaker';
import { QuarantineStore } from '../quarantine/quarantine-store';
import { TargetError } from '../target/target-connector';

function errorOf(e: unknown): PermanentError['details'] {
  if (e instanceof PermanentError) return e.details;
  if (e instanceof TargetError) return e.summary;
  return { kind: 'error' };
}

/** A failure the target blamed on one attribute says which, so the log leads to the mapping to fix. */
function detailsOf(e: unknown): { details?: { attribute: string } } {
  const { attribute } = errorOf(e);
  return attribute === undefined ? {} : { details: { attribute } };
}

/**
 * Consumes provisioning commands. A command either succeeds, waits without using up an attempt
 * (quarantine, 429, a write to the user still unsettled), is retried with backoff (transient
 * failure), or fails for good and goes to the dead-letter queue; every outcome is logged.
 */
@Injectable()
export class ExecuteCommandJob implements OnApplicationBootstrap {
  private readonly logger = new Logger(ExecuteCommandJob.name);

  constructor(
    @InjectQueue(QueueName.ProvisioningCommands) private readonly queue: Queue,
    private readonly workers: QueueWorkers,
    private readonly useCase: ExecuteCommandUseCase,
    private readonly audit: AuditEmitter,
    private readonly deadLetters: DeadLetterRepository,
    private readonly feedback: MapperFeedback,
    private readonly breaker: CircuitBreaker,
    private readonly quarantine: QuarantineStore,
    @Inject(SERVICE_CONFIG) private readonly config: ConnectorConfig,
  ) {}

  onApplicationBootstrap(): void {
    const worker = this.workers.open(
      QueueName.ProvisioningCommands,
      {
        handle: (command, job) => (command.provisioningJobId === this.config.PROVISIONING_JOB_ID ? this.run(command, job) : this.refuse(command, job)),
        rejected: (_payload, error, job) => this.audit.recordRejection('provisioning command', error, job),
        retrying: async (command, error, job) => {
          await this.audit.record({
            ...this.useCase.about(command, job.attemptsMade + 1),
            step: 'retried',
            status: 'warning',
            reason: `${errorMessage(error)}; will retry`,
            error: errorOf(error),
          });
        },
        failed: async (command, error, job) => {
          const attempt = job.attemptsMade + 1;
          const deadLetterId = await this.deadLetters.add(command, { reason: errorMessage(error), error: errorOf(error), attempts: attempt });
          await this.feedback.deadLettered(command, deadLetterId);
          await this.audit.record({
            ...this.useCase.about(command, attempt),
            step: 'failed',
            status: 'failure',
            reason: errorMessage(error),
            error: errorOf(error),
            ...detailsOf(error),
          });
        },
      },
      {
        concurrency: this.config.CONNECTOR_CONCURRENCY,
        retry: { baseDelayMs: this.config.RETRY_BASE_DELAY_MS, maxDelayMs: this.config.RETRY_MAX_DELAY_MS },
      },
    );
    // While the job is quarantined commands stay queued, rather than being fetched only to wait.
    const follow = (quarantined: boolean) => {
      if (worker.closing) return;
      if (quarantined) void worker.pause(true);
      else {
        void worker
          .resume()
          .then(() => this.releaseHeld())
          .catch((error: unknown) => this.logger.warn({ err: (error as Error).message }, 'held commands wait out their delay instead'));
      }
    };
    if (this.breaker.current) follow(true);
    this.breaker.onChange(follow);
  }

  private async run(command: ProvisioningCommand, job: Job): Promise<void> {
    try {
      this.breaker.assertClosed();
      await this.useCase.execute(command, job.attemptsMade + 1);
    } catch (error) {
      throw await this.triage(error, job);
    }
    this.breaker.recordSuccess();
  }

  /**
   * A command of a provisioning job this connector does not serve is never executed: its target
   * and credentials are not this connector's. It is logged as rejected, neither retried nor
   * dead-lettered, since no re-drive could make it this connector's.
   */
  private async refuse(command: ProvisioningCommand, job: Job): Promise<void> {
    const reason =
      `unknown provisioning job "${command.provisioningJobId}": this connector serves "${this.config.PROVISIONING_JOB_ID}" ` +
      `(PROVISIONING_JOB_ID); the command was not executed`;
    this.logger.warn({ jobId: job.id, provisioningJobId: command.provisioningJobId, userId: command.userId }, reason);
    await this.audit.record({ ...this.useCase.about(command, job.attemptsMade + 1), step: 'rejected', status: 'failure', reason });
  }

  /** What a failure means beyond this command: for the circuit breaker, and whether to wait rather than fail. */
  private async triage(error: unknown, job: Job): Promise<unknown> {
    let deferral = error instanceof CommandDeferral ? error : undefined;
    if (error instanceof TargetError) {
      if (error.status === 429) {
        // GoTo refused it unprocessed; the rate limiter has paused every replica. Not a failure.
        deferral = new CommandDeferral(`GoTo rate limit: ${error.message}`, error.retryAfterMs ?? 1000, 'rate-limit');
      } else if (error.kind === 'fatal') {
        await this.breaker.tripFatal(error.message, error.summary);
      } else if (error.kind === 'transient') {
        await this.breaker.recordFailure(error.message, error.summary);
      }
      deferral ??= this.breaker.deferral() ?? undefined;
    }
    if (!deferral) return error;
    const jitter = Math.round(Math.random() * Math.min(250, deferral.delayMs / 4));
    await job.moveToDelayed(Date.now() + deferral.delayMs + jitter, job.token);
    if (deferral.kind === 'quarantine') await this.quarantine.hold(job.id!);
    return new DelayedError(deferral.message);
  }

  /**
   * A quarantine can end before the probe its commands were told to wait for (an admin's Test
   * Connection): they run now rather than when that probe would have been due.
   */
  private async releaseHeld(): Promise<void> {
    for (let ids = await this.quarantine.takeHeld(500); ids.length > 0; ids = await this.quarantine.takeHeld(500)) {
      // A command that ran meanwhile (its wait was over) is no longer delayed: nothing to promote.
      await Promise.all(ids.map(async (id) => (await this.queue.getJob(id))?.promote().catch(() => undefined)));
    }
  }
}
