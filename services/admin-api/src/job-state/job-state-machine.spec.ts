import type { ConnectorStatus, MapperJobStatus, WatcherSyncStatus } from '@roster/contracts';
import { runningStateOf } from './job-state-machine';

const connector = (quarantine: ConnectorStatus['quarantine'] = null): ConnectorStatus => ({
  provisioningJobId: 'j',
  revision: 1,
  state: quarantine ? 'quarantined' : 'running',
  quarantine,
  deadLetters: 0,
});
const watcher = (over: Partial<WatcherSyncStatus> = {}): WatcherSyncStatus => ({
  provisioningJobId: 'j',
  phase: 'idle',
  cycle: 3,
  lastError: null,
  lastCompletedAt: '2026-12-01T10:00:00.000Z',
  initialCycleCompletedAt: '2026-12-01T09:00:00.000Z',
  ...over,
});
const mapper = (over: Partial<MapperJobStatus> = {}): MapperJobStatus => ({
  jobId: 'j',
  currentVersion: 1,
  approvalRequired: false,
  approvalReason: null,
  heldDeletions: 0,
  rescopeInProgress: false,
  ...over,
});
const quarantine = { kind: 'fatal' as const, reason: 'GoTo refused the credentials', since: '2026-12-01T10:00:00.000Z', nextProbeAt: '2026-12-01T10:00:30.000Z' };

describe('runningStateOf', () => {
  it('is steady once a first full cycle completed and nothing is wrong', () => {
    expect(runningStateOf({ connector: connector(), watcher: watcher(), mapper: mapper() })).toEqual({ state: 'steady', reason: null });
    expect(runningStateOf({ connector: connector(), watcher: watcher({ phase: 'incremental' }), mapper: null }).state).toBe('steady');
  });

  it('is initial-sync before the first full cycle completed and while every user is restated', () => {
    expect(runningStateOf({ connector: connector(), watcher: watcher({ initialCycleCompletedAt: null }), mapper: null }).state).toBe('initial-sync');
    expect(runningStateOf({ connector: connector(), watcher: watcher({ phase: 'recover' }), mapper: mapper() })).toMatchObject({ state: 'initial-sync', reason: 'restating every user' });
  });

  it('puts a quarantine first, with its reason and next probe', () => {
    const state = runningStateOf({ connector: connector(quarantine), watcher: watcher({ phase: 'error', lastError: 'x' }), mapper: mapper({ approvalRequired: true }) });
    expect(state).toEqual({ state: 'quarantined', reason: 'fatal: GoTo refused the credentials', nextProbeAt: quarantine.nextProbeAt });
  });

  it('needs approval while deletions are held, before a failed directory read', () => {
    const state = runningStateOf({ connector: connector(), watcher: watcher({ phase: 'error', lastError: 'x' }), mapper: mapper({ approvalRequired: true, heldDeletions: 7, approvalReason: '7 > 5' }) });
    expect(state).toEqual({ state: 'needs-approval', reason: '7 deletions held: 7 > 5' });
  });

  it('has failed while the directory cannot be read, saying why', () => {
    expect(runningStateOf({ connector: connector(), watcher: watcher({ phase: 'error', lastError: 'Graph 401' }), mapper: null })).toEqual({
      state: 'failed',
      reason: 'the directory could not be read: Graph 401',
    });
  });
});
