import { Queue } from 'bullmq';
import { redisOptionsFromUrl } from '@roster/platform';

/** Polls `probe` until it returns a value other than undefined/false, or fails with the last state seen. */
export async function waitFor<T>(
  probe: () => Promise<T | undefined | false> | T | undefined | false,
  { timeoutMs = 15_000, intervalMs = 50, what = 'condition' } = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined && value !== false) return value as T;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${lastError ? `: ${String(lastError)}` : ''}`);
    }
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

/** Waits until none of the queues has waiting, active or delayed jobs. */
export async function waitForQueuesToDrain(
  redisUrl: string,
  prefix: string,
  queues: string[],
  options: { timeoutMs?: number } = {},
): Promise<void> {
  const handles = queues.map((name) => new Queue(name, { connection: redisOptionsFromUrl(redisUrl), prefix }));
  try {
    await waitFor(
      async () => {
        const counts = await Promise.all(handles.map((q) => q.getJobCounts('waiting', 'active', 'delayed', 'prioritized')));
        return counts.every((c) => Object.values(c).every((n) => n === 0));
      },
      { timeoutMs: options.timeoutMs ?? 30_000, what: `queues ${queues.join(', ')} to drain` },
    );
  } finally {
    await Promise.all(handles.map((q) => q.close()));
  }
}
