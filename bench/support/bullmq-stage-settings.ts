import type { JobsOptions } from 'bullmq';

export interface StageSettings {
  redisUrl: string;
  prefix: string;
  from: string;
  /** The next stage's queue; none for the last stage. */
  to?: string;
  concurrency: number;
  /** Items the last stage waits for before it reports `done`. */
  expect: number;
}

/** What Roster asks of its queues (libs/platform job-options): own job ids, bounded retention, retries. */
export const BASELINE_JOB_OPTIONS: JobsOptions = {
  attempts: 8,
  backoff: { type: 'exponential', delay: 1000 },
  removeOnComplete: { age: 3600, count: 50_000 },
  removeOnFail: { age: 14 * 24 * 3600, count: 100_000 },
};

/** A job carries one item, or a batch of them as `{ items }`. */
export function itemsIn(data: unknown): number {
  const items = (data as { items?: unknown[] }).items;
  return Array.isArray(items) ? items.length : 1;
}
