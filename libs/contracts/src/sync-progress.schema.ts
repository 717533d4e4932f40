import { z } from 'zod';

/** One cycle of a job as a progress bar needs it; `remaining` and the percentage count changes (users), not pages. */
export const cycleProgressSchema = z.object({
  cycleId: z.string(),
  kind: z.enum(['initial', 'incremental', 'reconcile', 'recover']).nullable(),
  startedAt: z.string(),
  endedAt: z.string().nullable(),
  /** The watcher has read the whole cycle: `changes` is final. */
  readingComplete: z.boolean(),
  usersInScope: z.number().int().nullable(),
  usersRead: z.number().int().nullable(),
  /** Changes (one per user) the cycle emitted so far. */
  changes: z.number().int(),
  /** Changes whose outcome is logged: written to GoTo, failed for good, or needing nothing. */
  processed: z.number().int(),
  remaining: z.number().int(),
  percentComplete: z.number(),
  /** Outcomes by Roster's action and status, e.g. {"Create": {"success": 98, "failure": 2}}. */
  countsByAction: z.record(z.string(), z.record(z.string(), z.number().int())),
});
export type CycleProgress = z.infer<typeof cycleProgressSchema>;

export const runningCycleProgressSchema = cycleProgressSchema.extend({
  /** Changes processed per second: measured over the last minute, never above GoTo's rate limit. */
  ratePerSecond: z.number(),
  rateBasis: z.enum(['measured', 'rate-limit']),
  estimatedSecondsRemaining: z.number().int(),
  estimatedCompletionAt: z.string(),
});

export const syncProgressSchema = z.object({
  jobId: z.string(),
  observedAt: z.string(),
  /** No cycle is running and the last one is done: the job keeps GoTo in step as changes come. */
  steadyState: z.boolean(),
  current: runningCycleProgressSchema.nullable(),
  last: cycleProgressSchema.nullable(),
  /**
   * When `last` changed nothing (an incremental cycle that found nothing, say after a pause), the
   * newest finished cycle that did: what the latest real sync did. Null otherwise.
   */
  lastWithChanges: cycleProgressSchema.nullable(),
});
export type SyncProgress = z.infer<typeof syncProgressSchema>;

/** `GET …/sync-progress`: the job's GoTo rate limit bounds the estimate; the admin API fills it from the job. */
export const syncProgressQuerySchema = z.strictObject({
  rateLimitPerSecond: z.coerce.number().int().min(1).max(100_000).default(10),
});
