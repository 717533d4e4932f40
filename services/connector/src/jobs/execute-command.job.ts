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
import { ExecuteCommandUseCase, type BatchFacts, type Failure, type Limit } from '../provisioning/execute-command.use-case';
import { QuarantineGate } from '../quarantine/quarantine-gate';

/** How soon a command taken while its job was paused looks again: once the job is on, within this. */
const PAUSED_RECHECK_MS = 1000;

/** A failure the target blamed on one attribute says which, so the log leads to the mapping to fix. */
function detailsOf(error: unknown): { details?: { attribute: string } } {
  const { attribute } = errorDetailsOf(error);
  return attribute === undefined ? {} : { details: { attribute } };
}

/** Runs `task` as one of the bulk session's running commands, whose writes it waits for (see BulkWriteSession). */
function inSession<T>(session: BulkWriteSession | undefined, task: () => Promise<T>): Promise<T> {
  session?.enter();
  return task().finally(() => session?.leave());
}

/** Work started in the pool: what it ends with, once done. */
interface Started<T> {
  done: Promise<T>;
}

function started<T>(): Started<T> & { settle: (value: T) => void } {
  let settle!: (value: T) => void;
  const done = new Promise<T>((resolve) => (settle = resolve));
  return { done, settle };
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
  /**
   * The commands of batches that share a transaction (see startedLocked), each batch a task of
   * `running` holding all its users: a user's command taken later waits for that task in `running`,
   * so none waits on a batch's lock while holding room the batch's commands need.
   */
  private readonly lockedCommands: DisjointTaskPool;
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
    this.lockedCommands = new DisjointTaskPool(config.CONNECTOR_CONCURRENCY);
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
    const runs = new Map<ProvisioningCommand, Promise<Failure>>();
    // A batch's commands that can share a transaction run as one task, holding all their users.
    const locked = commands.length > 1 ? this.useCase.lockable(commands, facts) : [];
    if (locked.length > 1) {
      const { done } = await this.startedLocked(locked, attempt, facts, session);
      locked.forEach((command, i) => runs.set(command, done.then((failures) => failures[i]!)));
    }
    for (const command of commands) if (!runs.has(command)) runs.set(command, (await this.started(command, attempt, facts, session)).done);
    const failures = await Promise.all(commands.map((command) => runs.get(command)!));
    if (commands.length === 1 && failures[0]) throw failures[0].error;
    const attempts = (batch.priorAttempts ?? 0) + (job.opts.attempts ?? 1);
    for (const [i, failure] of failures.entries()) if (failure) await this.onItsOwn(commands[i]!, failure.error, attempt, attempts);
  }

  /** Starts the command once its user's earlier commands here are done and there is room. */
  private async started(command: ProvisioningCommand, attempt: number, facts: BatchFacts, session?: BulkWriteSession): Promise<Started<Failure>> {
    const { done, settle } = started<Failure>();
    await this.running.submit([command.userId], () => this.judged(inSession(session, () => this.useCase.execute(command, attempt, facts))).then(settle));
    return { done };
  }

  /**
   * Starts commands of distinct users under one transaction (see ExecuteCommandUseCase.executeLocked)
   * once their users' earlier commands here are done: one task holding all of them.
   */
  private async startedLocked(commands: ProvisioningCommand[], attempt: number, facts: BatchFacts, session?: BulkWriteSession): Promise<Started<Failure[]>> {
    const { done, settle } = started<Failure[]>();
    const limit: Limit = (userId, task) => this.limit(userId, () => inSession(session, task));
    const run = async () => {
      const failures = await this.useCase.executeLocked(commands, attempt, facts, limit);
      settle(await Promise.all(failures.map((failure) => this.judged(failure ? Promise.reject(failure.error) : Promise.resolve()))));
    };
    await this.running.submit(
      commands.map((c) => c.userId),
      () => run().catch((error: unknown) => settle(commands.map(() => ({ error })))),
    );
    return { done };
  }

  /** Runs a command of a batch sharing a transaction when there is room among them. */
  private readonly limit: Limit = (userId, task) =>
    new Promise((resolve, reject) => void this.lockedCommands.submit([userId], () => task().then(resolve, reject)));

  /** What a command's run ended with, as the quarantine judges it. */
  private async judged(run: Promise<void>): Promise<Failure> {
    try {
      await run;
    } catch (error) {
      return { error: await this.quarantine.judge(error) };
    }
    this.quarantine.recordSuccess();
    return null;
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
