import type { AssignmentChangeBatch, AssignmentChangeEvent } from '@roster/contracts';
import { assignmentChangeBatches } from '@roster/platform';

/** One assignment-changes batch of `events`, named as the watcher names it; `priorAttempts` as for a retry alone. */
export function aBatch(events: AssignmentChangeEvent[], priorAttempts?: number): AssignmentChangeBatch {
  const batches = assignmentChangeBatches(events, priorAttempts);
  if (batches.length !== 1) throw new Error(`aBatch takes 1 to 1,000 events, got ${events.length}`);
  return batches[0]!;
}
