import type { CycleProgress, SyncProgress } from '@roster/contracts';

/** What the log says of one cycle of a job (see ProvisioningLogRepository.cycleFacts). */
export interface CycleFacts {
  cycleId: string;
  kind: CycleProgress['kind'];
  startedAt: string;
  /** When the watcher finished reading the cycle (its completion record); null while it reads. */
  readCompletedAt: string | null;
  usersRead: number | null;
  usersInScope: number | null;
  changes: number;
  processed: number;
  lastProcessedAt: string | null;
  counts: { action: string; status: string; count: number }[];
}

export interface ProgressInput {
  jobId: string;
  /** Newest first. */
  cycles: CycleFacts[];
  /** Changes of the job processed within the last `windowMs`. */
  recentlyProcessed: number;
  windowMs: number;
  /** GoTo's allowance (requests per second): no change is processed faster than one request each. */
  rateLimitPerSecond: number;
  now: Date;
  /** The newest cycle that emitted a change (see CycleFactsRepository.newestWithChanges), read when the last finished one emitted none. */
  lastWithChanges?: CycleFacts | null;
}

const isFinished = (c: CycleFacts) => c.readCompletedAt !== null && c.processed >= c.changes;

/** The last finished of these cycles emitted no change: the progress bar wants `lastWithChanges` too. */
export const changedNothing = (cycles: CycleFacts[]): boolean => cycles.find(isFinished)?.changes === 0;

/**
 * The progress bar of a job: the running cycle (if any) with its estimate, the last finished one, and
 * the last that changed anything when that one did not.
 * Unlike Entra's bar, which counts pages, it counts changes, and its estimate comes from the rate
 * measured over the last minute, capped by GoTo's rate limit (so it never promises what GoTo will not
 * allow), or from that limit alone before anything was measured.
 */
export function syncProgressOf(input: ProgressInput): SyncProgress {
  const [newest] = input.cycles;
  const running = newest && !isFinished(newest) ? newest : null;
  const finished = input.cycles.find(isFinished) ?? null;
  const meaningful = finished?.changes === 0 && input.lastWithChanges && isFinished(input.lastWithChanges) ? input.lastWithChanges : null;
  return {
    jobId: input.jobId,
    observedAt: input.now.toISOString(),
    steadyState: running === null && finished !== null,
    current: running && withEstimate(cycleProgressOf(running), running, input),
    last: finished && cycleProgressOf(finished),
    lastWithChanges: meaningful && cycleProgressOf(meaningful),
  };
}

function cycleProgressOf(c: CycleFacts): CycleProgress {
  const readingComplete = c.readCompletedAt !== null;
  // While the watcher reads, the total is what it has emitted so far.
  const total = c.changes;
  const processed = Math.min(c.processed, total);
  const countsByAction: CycleProgress['countsByAction'] = {};
  for (const { action, status, count } of c.counts) (countsByAction[action] ??= {})[status] = count;
  const ended = isFinished(c) ? [c.readCompletedAt!, c.lastProcessedAt ?? c.readCompletedAt!].sort().at(-1)! : null;
  return {
    cycleId: c.cycleId,
    kind: c.kind,
    startedAt: c.startedAt,
    endedAt: ended,
    readingComplete,
    usersInScope: c.usersInScope,
    usersRead: c.usersRead,
    changes: c.changes,
    processed,
    remaining: total - processed,
    percentComplete: total === 0 ? (readingComplete ? 100 : 0) : Math.floor((processed / total) * 1000) / 10,
    countsByAction,
  };
}

function withEstimate(progress: CycleProgress, c: CycleFacts, input: ProgressInput): NonNullable<SyncProgress['current']> {
  const limit = input.rateLimitPerSecond;
  // A cycle younger than the window is measured over its own age, or its start would look slow.
  const windowMs = Math.min(input.windowMs, Math.max(1, input.now.getTime() - Date.parse(c.startedAt)));
  const measured = (input.recentlyProcessed / windowMs) * 1000;
  const rate = measured > 0 ? Math.min(measured, limit) : limit;
  const seconds = Math.ceil(progress.remaining / rate);
  return {
    ...progress,
    ratePerSecond: Math.round(rate * 100) / 100,
    rateBasis: measured > 0 && measured <= limit ? 'measured' : 'rate-limit',
    estimatedSecondsRemaining: seconds,
    estimatedCompletionAt: new Date(input.now.getTime() + seconds * 1000).toISOString(),
  };
}
