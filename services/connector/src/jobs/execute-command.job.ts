import { Inject, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { QueueName, jobCommandQueueName, type ProvisioningCommand, type ProvisioningCommandEnvelope } from '@roster/contracts';
import {
  Deferral,
  DisjointTaskPool,
  MessageProducer,
  QueueEpochMonitor,
  QueueWorkers,
  SERVICE_CONFIG,
  Tracing,
  WorkerHolds,
  backoffDelay,
  commandsOf,
  errorDetailsOf,
  errorMessage,
  parseCommands,
  provisioningCommandAlone,
  type RetryPolicy,
} from '@roster/platform';
import type { Job } from 'bullmq';
import type { ConnectorConfig } from '../config/connector.config';
import { CommandDeadLetters } from '../dead-letters/command-dead-letters';
import type { BulkWriteSession } from '../goto/bulk-write-session';
import { ConnectorJob } from '../job-settings/connector-job';
import { JobCommandQueues } from '../job-queues/job-command-queues';
import { BulkWrites } from '../provisioning/bulk-writes';
import { CommandLog } from '../provisioning/command-log';
import { ExecuteCommandUseCase, type BatchFacts } from '../provisioning/execute-command.use-case';
import { QuarantineGate } from '../quarantine/quarantine-gate';

/** How soon a command taken while its job was paused looks again: once the job is on, within this. */
const PAUSED_RECHECK_MS = 1000;

/** A failure the target blamed on one attribute says which, so the log leads to the mapping to fix. */
function detailsOf(error: unknown): { details?: { attribute: string } } {
  const { attribute } = errorDetailsOf(error);
  return attribute === undefined ? {} : { details: { attribute } };
}

/** A command started in the pool: what it threw, once done (null: it succeeded). */
interface Run {
  failure: Promise<{ error: unknown } | null>;
}

/** The attempt this is for the batch's commands, counting those made in an earlier batch. */
function attemptOf(batch: ProvisioningCommandEnvelope, job: Job): number {
  return (batch.priorAttempts ?? 0) + job.attemptsMade + 1;
}

/**
 * Consumes its provisioning job's command batches, from the job's own queue (see CommandDispatcher):
 * one queue job and one completion per batch, not per command. Each command either succeeds, waits
 * without using up an attempt (quarantine, 429, a write to the user still unsettled: a Deferral),
 * is retried with backoff (transient failure), or fails for good and goes to the dead-letter queue;
 * every outcome is logged. A command of a larger batch that must wait or be retried goes back on the
 * queue alone while its batch-mates go on; a batch of one waits or is retried as a whole.
 */
@Injectable()
export class ExecuteCommandJob implements OnApplicationBootstrap {
  /** The commands running in this connector, whichever batch: at most CONNECTOR_CONCURRENCY, a user's in the order taken. */
  private readonly running: DisjointTaskPool;
  /** Where a command of a batch goes back alone: the job's own queue, where the quarantine can release it. */
  private readonly alone: MessageProducer<typeof QueueName.ProvisioningCommands>;
  private readonly retry: RetryPolicy;

  constructor(
    private readonly workers: QueueWorkers,
    private readonly useCase: ExecuteCommandUseCase,
    private readonly log: CommandLog,
    private readonly deadLetters: CommandDeadLetters,
    private readonly quarantine: QuarantineGate,
    private readonly job: ConnectorJob,
    private readonly bulk: BulkWrites,
    queues: JobCommandQueues,
    epoch: QueueEpochMonitor,
    tracing: Tracing,
    @Inject(SERVICE_CONFIG) private readonly config: ConnectorConfig,
  ) {
    this.running = new DisjointTaskPool(config.CONNECTOR_CONCURRENCY);
    this.alone = workers.trackProducer(new MessageProducer(QueueName.ProvisioningCommands, queues.own(), () => epoch.generation(), tracing));
    this.retry = { baseDelayMs: config.RETRY_BASE_DELAY_MS, maxDelayMs: config.RETRY_MAX_DELAY_MS };
  }

  async onApplicationBootstrap(): Promise<void> {
    const worker = this.workers.open(
      QueueName.ProvisioningCommands,
      {
        handle: (batch, job) => this.handle(batch, job),
        rejected: (_payload, error, job) => this.log.recordRejection('provisioning command batch', error, job),
        deferred: (_batch, deferral, job) => this.quarantine.deferred(job.id!, deferral),
        // A batch of one ends as its command; a larger one only if its commands could not be queued
        // again alone, and then each of its commands is retried with it.
        retrying: async (batch, error, job) => {
          for (const command of commandsOf(batch)) await this.retrying(command, error, attemptOf(batch, job));
        },
        failed: async (batch, error, job) => {
          for (const command of commandsOf(batch)) await this.failed(command, error, attemptOf(batch, job));
        },
      },
      {
        concurrency: this.config.CONNECTOR_CONCURRENCY,
        retry: this.retry,
        queueName: jobCommandQueueName(this.config.PROVISIONING_JOB_ID),
      },
    );
    const holds = new WorkerHolds(worker);
    // Paused by its admin, the job keeps its queued commands and takes them up again when turned on.
    this.job.onState(({ state }) => holds.set('paused', state === 'paused').then(() => undefined));
    await holds.set('paused', this.job.paused);
    await this.quarantine.follow(holds);
  }

  private async handle(batch: ProvisioningCommandEnvelope, job: Job): Promise<void> {
    // A batch the worker was already fetching when the job was paused waits too, without using an attempt.
    if (this.job.paused) throw new Deferral(`provisioning job ${batch.provisioningJobId} is paused`, PAUSED_RECHECK_MS, 'paused');
    const attempt = attemptOf(batch, job);
    const { valid: commands, rejected } = parseCommands(batch);
    for (const { index, error } of rejected) {
      await this.log.recordRejection('provisioning command', error, job, index);
      this.workers.countOutcome(QueueName.ProvisioningCommands, 'rejected');
    }
    const session = this.bulk.session();
    const facts: BatchFacts = { ...(await this.useCase.prepare(batch.provisioningJobId, commands)), ...(session ? { writes: session } : {}) };
    const runs: Run[] = [];
    for (const command of commands) runs.push(await this.started(command, attempt, facts, session));
    const failures = await Promise.all(runs.map((run) => run.failure));
    if (commands.length === 1 && failures[0]) throw failures[0].error;
    const attempts = (batch.priorAttempts ?? 0) + (job.opts.attempts ?? 1);
    for (const [i, failure] of failures.entries()) if (failure) await this.onItsOwn(commands[i]!, failure.error, attempt, attempts);
  }

  /** Starts the command once its user's earlier commands here are done and there is room. */
  private async started(command: ProvisioningCommand, attempt: number, facts: BatchFacts, session?: BulkWriteSession): Promise<Run> {
    let settle!: (failure: { error: unknown } | null) => void;
    const failure = new Promise<{ error: unknown } | null>((resolve) => (settle = resolve));
    await this.running.submit([command.userId], () => this.execute(command, attempt, facts, session).then(() => settle(null), (error: unknown) => settle({ error })));
    return { failure };
  }

  /** `session`: the bulk session, which waits for this command's write (if any) while it runs. */
  private async execute(command: ProvisioningCommand, attempt: number, facts: BatchFacts, session?: BulkWriteSession): Promise<void> {
    session?.enter();
    try {
      await this.useCase.execute(command, attempt, facts);
    } catch (error) {
      throw await this.quarantine.judge(error);
    } finally {
      session?.leave();
    }
    this.quarantine.recordSuccess();
  }

  /** A command of a larger batch that did not succeed: it waits or is retried alone, or fails for good. */
  private async onItsOwn(command: ProvisioningCommand, thrown: unknown, attempt: number, attempts: number): Promise<void> {
    const outcome = this.workers.outcomeOf(thrown, attempt, attempts);
    this.workers.countOutcome(QueueName.ProvisioningCommands, outcome.kind);
    if (outcome.kind === 'deferred') {
      const id = await this.alone.sendLater(provisioningCommandAlone(command, 'deferred', attempt - 1), outcome.delayMs);
      await this.quarantine.deferred(id, outcome.deferral);
    } else if (outcome.kind === 'retrying') {
      await this.retrying(command, outcome.error, attempt);
      await this.alone.sendLater(provisioningCommandAlone(command, `retry${attempt}`, attempt), backoffDelay(attempt, this.retry, outcome.error));
    } else {
      await this.failed(command, outcome.error, attempt);
    }
  }

  private retrying(command: ProvisioningCommand, error: unknown, attempt: number): Promise<void> {
    return this.log.record(command, attempt, { step: 'retried', status: 'warning', reason: `${errorMessage(error)}; will retry`, error: errorDetailsOf(error) });
  }

  private async failed(command: ProvisioningCommand, error: unknown, attempt: number): Promise<void> {
    const reason = errorMessage(error);
    await this.deadLetters.add(command, { reason, error: errorDetailsOf(error), attempts: attempt });
    await this.log.record(command, attempt, { step: 'failed', status: 'failure', reason, error: errorDetailsOf(error), ...detailsOf(error) });
  }
}
