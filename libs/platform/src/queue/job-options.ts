import type { JobsOptions } from 'bullmq';
import { QueueName } from '@roster/contracts';

/** Retention and attempts per queue, in one place. Retention is bounded by age and count. */
const ATTEMPTS: Record<QueueName, number> = {
  [QueueName.AssignmentChanges]: 8,
  [QueueName.ProvisioningCommands]: 8,
  [QueueName.AuditRecords]: 20,
  [QueueName.ProvisioningFeedback]: 8,
};

/**
 * Completed jobs kept per queue, about 5,000 messages' worth at full batches. A completed job is kept
 * so that the same job sent again (a producer's crash before its checkpoint, the resend after a Redis
 * restart; seconds later) is stored once; past that every consumer takes a repeat as a no-op (the
 * mapper drops a change it applied, the connector checks before it writes, the log stores a record
 * id once). Kept by the 50,000, jobs of up to 1,000 messages held a 100,000-user sync's every event,
 * command and log record in Redis for an hour.
 */
const KEEP_COMPLETED: Record<QueueName, number> = {
  [QueueName.AssignmentChanges]: 5, // batches of up to 1,000 events
  [QueueName.ProvisioningCommands]: 50, // batches of up to 100 commands
  [QueueName.AuditRecords]: 5, // batches of up to 1,000 records
  [QueueName.ProvisioningFeedback]: 5000, // one request each
};

/** Name of the backoff strategy every worker registers (see QueueWorkers). */
export const ROSTER_BACKOFF = 'roster';

/**
 * The job id of a message: its idempotency key in the current queue generation. BullMQ refuses ':' in
 * custom ids, and idempotency keys are free text, so ':' becomes '|'. Generation 1 (an installation
 * that never had an incident) keeps the bare key; later generations append `|g<n>`, so that after
 * PostgreSQL is restored from a backup, the keys it derives again from its older counters are new
 * to Redis, which still remembers the completed jobs of the same keys (see QueueEpochMonitor).
 */
export function jobIdFor(idempotencyKey: string, generation = 1): string {
  const id = idempotencyKey.replace(/:/g, '|');
  return generation > 1 ? `${id}|g${generation}` : id;
}

/** `priorAttempts`: attempts the message made in an earlier job (a batch it was part of), which count against its total. */
export function jobOptions(queue: QueueName, idempotencyKey: string, generation = 1, priorAttempts = 0): JobsOptions {
  return {
    // Same key, same job: a message produced twice (crash before checkpoint) is stored once.
    jobId: jobIdFor(idempotencyKey, generation),
    attempts: Math.max(1, ATTEMPTS[queue] - priorAttempts),
    backoff: { type: ROSTER_BACKOFF },
    removeOnComplete: { age: 3600, count: KEEP_COMPLETED[queue] },
    removeOnFail: { age: 14 * 24 * 3600, count: 100_000 },
  };
}
