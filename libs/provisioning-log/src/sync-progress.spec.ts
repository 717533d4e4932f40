import { syncProgressOf, type CycleFacts, type ProgressInput } from './sync-progress';

const NOW = new Date('2026-12-01T10:10:00.000Z');

function cycle(overrides: Partial<CycleFacts> = {}): CycleFacts {
  return {
    cycleId: '2',
    kind: 'initial',
    startedAt: '2026-12-01T10:00:00.000Z',
    readCompletedAt: '2026-12-01T10:01:00.000Z',
    usersRead: 1000,
    usersInScope: 1000,
    changes: 1000,
    processed: 400,
    lastProcessedAt: '2026-12-01T10:09:59.000Z',
    counts: [
      { action: 'Create', status: 'success', count: 390 },
      { action: 'Create', status: 'failure', count: 10 },
    ],
    ...overrides,
  };
}

const input = (overrides: Partial<ProgressInput>): ProgressInput => ({
  jobId: 'gotomeeting',
  cycles: [cycle()],
  recentlyProcessed: 300,
  windowMs: 60_000,
  rateLimitPerSecond: 10,
  now: NOW,
  ...overrides,
});

describe('syncProgressOf', () => {
  it('estimates the rest of a running cycle from the rate measured over the last minute', () => {
    const { current, steadyState, last } = syncProgressOf(input({}));
    expect(steadyState).toBe(false);
    expect(last).toBeNull();
    expect(current).toMatchObject({
      changes: 1000,
      processed: 400,
      remaining: 600,
      percentComplete: 40,
      ratePerSecond: 5,
      rateBasis: 'measured',
      estimatedSecondsRemaining: 120,
      estimatedCompletionAt: '2026-12-01T10:12:00.000Z',
      countsByAction: { Create: { success: 390, failure: 10 } },
    });
  });

  it('never promises more than GoTo’s rate limit allows, and uses the limit before anything was measured', () => {
    expect(syncProgressOf(input({ recentlyProcessed: 6000 })).current).toMatchObject({ ratePerSecond: 10, rateBasis: 'rate-limit', estimatedSecondsRemaining: 60 });
    expect(syncProgressOf(input({ recentlyProcessed: 0 })).current).toMatchObject({ ratePerSecond: 10, rateBasis: 'rate-limit', estimatedSecondsRemaining: 60 });
  });

  it('measures a cycle younger than the window over its own age', () => {
    const young = cycle({ startedAt: '2026-12-01T10:09:30.000Z' });
    expect(syncProgressOf(input({ cycles: [young], recentlyProcessed: 150 })).current).toMatchObject({ ratePerSecond: 5 });
  });

  it('counts a cycle still being read as running, against what it emitted so far', () => {
    const reading = cycle({ readCompletedAt: null, usersRead: null, changes: 500, processed: 500 });
    expect(syncProgressOf(input({ cycles: [reading] })).current).toMatchObject({ readingComplete: false, remaining: 0, percentComplete: 100 });
  });

  it('reports the last finished cycle and steady state once nothing is left', () => {
    const done = cycle({ processed: 1000 });
    const progress = syncProgressOf(input({ cycles: [done] }));
    expect(progress.steadyState).toBe(true);
    expect(progress.current).toBeNull();
    expect(progress.last).toMatchObject({ cycleId: '2', percentComplete: 100, remaining: 0, endedAt: '2026-12-01T10:09:59.000Z' });
    const empty = cycle({ cycleId: '3', kind: 'incremental', changes: 0, processed: 0, lastProcessedAt: null });
    expect(syncProgressOf(input({ cycles: [empty, done] }))).toMatchObject({ steadyState: true, last: { cycleId: '3', percentComplete: 100 } });
  });

  it('names the last cycle that changed anything when the last finished one changed nothing', () => {
    const done = cycle({ processed: 1000 });
    const empty = cycle({ cycleId: '3', kind: 'incremental', changes: 0, processed: 0, lastProcessedAt: null });
    expect(syncProgressOf(input({ cycles: [empty], lastWithChanges: done }))).toMatchObject({ last: { cycleId: '3' }, lastWithChanges: { cycleId: '2', percentComplete: 100, processed: 1000 } });
    // Not when the last one changed something, nor for a cycle still under way.
    expect(syncProgressOf(input({ cycles: [done], lastWithChanges: done })).lastWithChanges).toBeNull();
    expect(syncProgressOf(input({ cycles: [empty], lastWithChanges: cycle() })).lastWithChanges).toBeNull();
  });

  it('shows the running cycle and the last finished one side by side', () => {
    const running = cycle({ cycleId: '3', kind: 'incremental', changes: 10, processed: 2 });
    const progress = syncProgressOf(input({ cycles: [running, cycle({ processed: 1000 })] }));
    expect([progress.current?.cycleId, progress.last?.cycleId, progress.steadyState]).toEqual(['3', '2', false]);
  });
});
