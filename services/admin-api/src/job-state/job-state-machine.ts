import type { ConnectorStatus, MapperJobStatus, ProvisioningJobStateName, WatcherSyncStatus } from '@roster/contracts';

/** What the pipeline services report about a running job, read together. */
export interface JobFacts {
  connector: ConnectorStatus;
  watcher: WatcherSyncStatus;
  /** Null: the mapper does not know the job yet (no mapping saved, no event), so it holds nothing. */
  mapper: MapperJobStatus | null;
}

export type RunningState = Exclude<ProvisioningJobStateName, 'paused'>;

export interface DerivedState {
  state: RunningState;
  reason: string | null;
  nextProbeAt?: string;
}

/**
 * The state of a job that is turned on, from what its services report, most urgent first: GoTo
 * cannot be used (quarantined), deletions wait for an admin (needs-approval), the directory cannot
 * be read (failed), a first full cycle is still running or due (initial-sync), or else steady.
 * `paused` is the admin's alone and never derived.
 */
export function runningStateOf({ connector, watcher, mapper }: JobFacts): DerivedState {
  if (connector.quarantine) {
    return { state: 'quarantined', reason: `${connector.quarantine.kind}: ${connector.quarantine.reason}`, nextProbeAt: connector.quarantine.nextProbeAt };
  }
  if (mapper?.approvalRequired) {
    return { state: 'needs-approval', reason: `${mapper.heldDeletions} deletions held: ${mapper.approvalReason ?? 'over the deletion threshold'}` };
  }
  if (watcher.phase === 'error') return { state: 'failed', reason: `the directory could not be read: ${watcher.lastError ?? 'unknown error'}` };
  if (watcher.initialCycleCompletedAt === null || watcher.phase === 'initial' || watcher.phase === 'recover') {
    return { state: 'initial-sync', reason: watcher.phase === 'recover' ? 'restating every user' : 'first full cycle' };
  }
  return { state: 'steady', reason: null };
}

/** Entra's audit-log activity for a change of state, so admins find the same words. */
export function activityOf(to: ProvisioningJobStateName, byAdmin: 'start' | 'pause' | 'restart' | null): string {
  if (byAdmin === 'start') return 'Enable/start provisioning configuration';
  if (byAdmin === 'pause') return 'Disable/pause provisioning configuration';
  if (byAdmin === 'restart') return 'Enable/restart provisioning configuration';
  return to === 'quarantined' ? 'Quarantine' : `Provisioning state: ${to}`;
}
