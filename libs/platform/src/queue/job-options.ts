import type { JobsOptions } from 'bullmq';
import { QueueName } from '@roster/contracts';

/** Retention and attempts per queue, in one place. Retention is bounded by age and count. */
const ATTEMPTS: Record<QueueName, number> = {
  [QueueName.AssignmentChanges]: 8,
  [QueueName.ProvisioningCommands]: 8,
  [QueueName.AuditRecords]: 20,
  [QueueName.ProvisioningFeedback]: 8,
};

/** Name of the backoff strategy every worker registers (see QueueWorkers). */
export const ROSTER_BACKOFF = 'roster';

/** BullMQ refuses ':' in custom ids; idempotency keys are free text, so map it to a safe character. */
export function jobIdFor(idempotencyKey: string): string {
  return idempotencyKey.replace(/:/g, '|');
}

export function jobOptions(queue: QueueName, idempotencyKey: string): JobsOptions {
  return {
    // Same key, same job: a message produced twice (crash before checkpoint) is stored once.
    jobId: jobIdFor(idempotencyKey),
    attempts: ATTEMPTS[queue],
    backoff: { type: ROSTER_BACKOFF },
    removeOnComplete: { age: 3600, count: 50_000 },
    removeOnFail: { age: 14 * 24 * 3600, count: 100_000 },
  };
}
