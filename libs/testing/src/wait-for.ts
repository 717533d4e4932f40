import { Queue } from 'bullmq';
import IORedis from 'ioredis';
import { jobCommandQueueName } from '@roster/contracts';
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

/** The provisioning jobs' own command queues that hold anything under `prefix` (see jobCommandQueueName). */
async function jobCommandQueues(redis: IORedis, prefix: string): Promise<string[]> {
  const names = new Set<string>();
  const start = `${prefix}:${jobCommandQueueName('')}`;
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${start}*`, 'COUNT', 1000);
    for (const key of keys) names.add(key.slice(prefix.length + 1).split(':')[0]);
    cursor = next;
  } while (cursor !== '0');
  return [...names];
}

/** Waits until none of the queues, nor any provisioning job's command queue, has waiting, active or delayed jobs. */
export async function waitForQueuesToDrain(
  redisUrl: string,
  prefix: string,
  queues: string[],
  options: { timeoutMs?: number } = {},
): Promise<void> {
  const handles = new Map(queues.map((name) => [name, new Queue(name, { connection: redisOptionsFromUrl(redisUrl), prefix })]));
  const redis = new IORedis(redisOptionsFromUrl(redisUrl));
  try {
    await waitFor(
      async () => {
        for (const name of await jobCommandQueues(redis, prefix)) {
          if (!handles.has(name)) handles.set(name, new Queue(name, { connection: redisOptionsFromUrl(redisUrl), prefix }));
        }
        const counts = await Promise.all([...handles.values()].map((q) => q.getJobCounts('waiting', 'active', 'delayed', 'prioritized')));
        return counts.every((c) => Object.values(c).every((n) => n === 0));
      },
      { timeoutMs: options.timeoutMs ?? 30_000, what: `queues ${queues.join(', ')} and the jobs' command queues to drain` },
    );
  } finally {
    await Promise.all([...handles.values()].map((q) => q.close()));
    await redis.quit();
  }
}
