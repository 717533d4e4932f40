import { Inject, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import type { Job } from 'bullmq';
import {
  QueueName,
  assignmentChangeEventSchema,
  parseEach,
  subjectIdOf,
  type AssignmentChangeEnvelope,
  type AssignmentChangeEvent,
} from '@roster/contracts';
import {
  AuditEmitter,
  DisjointTaskPool,
  QueueWorkers,
  SERVICE_CONFIG,
  assignmentChangeBatches,
  backoffDelay,
  errorMessage,
  isDatabaseUnavailable,
  isPermanent,
  producerToken,
  slicesOf,
  type MessageProducer,
  type RetryPolicy,
} from '@roster/platform';
import type { MapperConfig } from '../config/mapper.config';
import { MapAssignmentChangeUseCase } from '../provisioning/map-assignment-change.use-case';

/** Batches taken at once: the tail of one overlaps the head of the next. */
const BATCHES_AT_ONCE = 4;
/** Events of a batch decided in one transaction. */
const GROUP_SIZE = 50;

/**
 * Consumes batches of assignment-change events, each checked against its contract on its own (a
 * malformed one is logged as rejected), deciding them in groups of 50 per transaction. A
 * failure that aborts a group is narrowed down by deciding its events one by one; an event that
 * still fails goes back on the queue alone (after a backoff) while the rest of its batch goes on,
 * and a mapping error is logged as failed for its event only (PostgreSQL down or out of connections
 * is no event's fault: the whole batch waits). So one bad user never holds up the
 * others, and a batch replayed after a crash only repeats events the mapper drops as already applied.
 */
@Injectable()
export class MapAssignmentChangeJob implements OnApplicationBootstrap {
  private readonly retry: RetryPolicy;
  private readonly groupsAtOnce: number;
  private readonly databasePort: number;

  constructor(
    private readonly workers: QueueWorkers,
    private readonly useCase: MapAssignmentChangeUseCase,
    private readonly audit: AuditEmitter,
    @Inject(producerToken(QueueName.AssignmentChanges))
    private readonly events: MessageProducer<typeof QueueName.AssignmentChanges>,
    @Inject(SERVICE_CONFIG) config: MapperConfig,
  ) {
    this.retry = { baseDelayMs: config.RETRY_BASE_DELAY_MS, maxDelayMs: config.RETRY_MAX_DELAY_MS };
    this.groupsAtOnce = Math.max(1, Math.round(config.MAPPER_CONCURRENCY / BATCHES_AT_ONCE / GROUP_SIZE));
    this.databasePort = Number(new URL(config.DATABASE_URL).port || 5432);
  }

  onApplicationBootstrap(): void {
    this.workers.open(
      QueueName.AssignmentChanges,
      {
        handle: (batch, job) => this.handle(batch, job),
        rejected: (_payload, error, job) => this.audit.recordRejection('assignment-change batch', error, job),
        // Only a batch of one event fails as a whole (see handle); a larger one fails only if its
        // retries could not be queued, and then each of its events is retried with it.
        retrying: async (batch, error, job) => {
          for (const event of eventsOf(batch)) await this.recordRetry(event, error, attemptOf(batch, job));
        },
        failed: async (batch, error, job) => {
          for (const event of eventsOf(batch)) await this.fail(event, error, attemptOf(batch, job));
        },
      },
      { concurrency: BATCHES_AT_ONCE, retry: this.retry },
    );
  }

  private async handle(batch: AssignmentChangeEnvelope, job: Job): Promise<void> {
    const attempt = attemptOf(batch, job);
    const { valid: events, rejected } = parseEach('assignment-change event', assignmentChangeEventSchema, batch.events);
    for (const { index, error } of rejected) await this.audit.recordRejection('assignment-change event', error, job, index);
    if (events.length <= 1) return events.length ? this.useCase.execute(events, attempt) : undefined;
    const again: { event: AssignmentChangeEvent; error: unknown }[] = [];
    const pool = new DisjointTaskPool(this.groupsAtOnce);
    for (const group of slicesOf(events, GROUP_SIZE)) {
      await pool.submit(group.map(subjectIdOf), async () => {
        try {
          await this.useCase.execute(group, attempt);
        } catch (error) {
          // PostgreSQL down or out of connections fails every event alike: the batch waits whole
          // (QueueWorkers defers it; a replay drops the groups already decided) instead of being
          // retried event by event, each alone on the queue.
          if (isDatabaseUnavailable(error, this.databasePort)) throw error;
          for (const event of group) {
            try {
              await this.useCase.execute([event], attempt);
            } catch (error) {
              again.push({ event, error });
            }
          }
        }
      });
    }
    await pool.drain();
    for (const { event, error } of again) {
      // The database refused the event's data: a retry would fail the same way.
      if (isPermanent(error)) {
        await this.fail(event, error, attempt);
        continue;
      }
      await this.recordRetry(event, error, attempt);
      const [alone] = assignmentChangeBatches([event], attempt);
      await this.events.sendLater(alone, backoffDelay(attempt, this.retry, error));
    }
  }

  private recordRetry(event: AssignmentChangeEvent, error: unknown, attempt: number): Promise<void> {
    return this.recordOutcome(event, error, attempt, 'retried');
  }

  private async fail(event: AssignmentChangeEvent, error: unknown, attempt: number): Promise<void> {
    await this.useCase.failed(event);
    await this.recordOutcome(event, error, attempt, 'failed');
  }

  private recordOutcome(event: AssignmentChangeEvent, error: unknown, attempt: number, step: 'retried' | 'failed'): Promise<void> {
    return this.audit.record({
      ...this.useCase.about(event),
      action: 'Other',
      step,
      status: step === 'retried' ? 'warning' : 'failure',
      attempt,
      reason: errorMessage(error),
    });
  }
}

/** The attempt this is for the batch's events, counting those made in an earlier batch. */
function attemptOf(batch: AssignmentChangeEnvelope, job: Job): number {
  return (batch.priorAttempts ?? 0) + job.attemptsMade + 1;
}

/** The batch's well-formed events (the others were rejected when it was first handled). */
function eventsOf(batch: AssignmentChangeEnvelope): AssignmentChangeEvent[] {
  return parseEach('assignment-change event', assignmentChangeEventSchema, batch.events).valid;
}
