import { ASSIGNMENT_CHANGE_BATCH_MAX, type AssignmentChangeBatch, type AssignmentChangeEvent } from '@roster/contracts';
import { batchIdOf, slicesOf } from '../batching/message-batches';

/**
 * Events as the assignment-changes queue carries them: in batches of up to 1,000, each named after
 * its events' keys. An event retried on its own carries the attempts it already made.
 */
export function assignmentChangeBatches(events: readonly AssignmentChangeEvent[], priorAttempts?: number): AssignmentChangeBatch[] {
  return slicesOf(events, ASSIGNMENT_CHANGE_BATCH_MAX).map((slice) => ({
    version: 1,
    id: batchIdOf(
      priorAttempts === undefined ? 'events' : `retry${priorAttempts}`,
      slice.map((e) => e.idempotencyKey),
    ),
    events: slice,
    ...(priorAttempts === undefined ? {} : { priorAttempts }),
  }));
}
