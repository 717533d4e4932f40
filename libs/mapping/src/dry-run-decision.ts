import { AssignmentChangeType as T, type AssignmentChangeEvent, type DryRunDecision, type WatchedDirectoryUser } from '@roster/contracts';
import { MappingError } from './attribute-mapping';
import { decide, type CompiledJob, type ProvisionedState } from './provisioning-decision';

/**
 * What a full cycle would send for one user, sending nothing: the event the watcher would emit for
 * the user as the directory has it now, decided by the same `decide` against what the mapper last
 * decided (its view of GoTo). A user Roster knows that the directory no longer has comes as
 * `hard-deleted`, as a full read that misses it reports it.
 */
export function dryRunDecision(job: CompiledJob, user: WatchedDirectoryUser, state: ProvisionedState): DryRunDecision {
  const userName = typeof user.attributes.userPrincipalName === 'string' ? user.attributes.userPrincipalName : (state.matching[0]?.value ?? null);
  try {
    const decision = decide(eventFor(user, state), state, job);
    const update = decision.commands.find((c) => 'changed' in c);
    return {
      userId: user.id,
      userName,
      commands: decision.commands.map((c) => c.type),
      reason: decision.skipped ?? null,
      failed: false,
      ...(update && 'changed' in update ? { changed: update.changed } : {}),
    };
  } catch (error) {
    if (!(error instanceof MappingError)) throw error;
    return { userId: user.id, userName, commands: [], reason: error.message, failed: true };
  }
}

/** The event a full read would lead to, told apart as the watcher's comparison tells it. */
function eventFor(user: WatchedDirectoryUser, state: ProvisionedState): AssignmentChangeEvent {
  const base = {
    version: 1 as const,
    idempotencyKey: `dry-run/${user.id}`,
    correlationId: `dry-run/${user.id}`,
    provisioningJobId: user.provisioningJobId,
    occurredAt: new Date(0).toISOString(),
    source: { kind: 'dry-run', order: '1' },
    user: { id: user.id, attributes: user.attributes },
    groups: user.groups,
  };
  if (user.state !== 'present') return { ...base, groups: [], type: T.UserDeleted, hardDelete: user.state === 'hard-deleted' };
  if (user.assignments.length === 0) return { ...base, groups: [], type: T.UserUnassigned };
  if (!user.accountEnabled && state.provisioned && state.active) return { ...base, type: T.UserDisabled, via: user.assignments };
  return { ...base, type: T.UserAssigned, via: user.assignments };
}
