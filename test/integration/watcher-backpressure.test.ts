import { Queue, Worker } from 'bullmq';
import { AssignmentChangeType as T, QueueName, subjectIdOf, type AssignmentChangeBatch, type AssignmentChangeEvent } from '@roster/contracts';
import { redisOptionsFromUrl } from '@roster/platform';
import { ServiceProcess, TEST_APP_ROLE, TestEnvironment, ensureServicesBuilt, getJson, waitFor } from '@roster/testing';

/** Five pages of the demo directory (1,000 users a page, one batch of events each). */
const USERS = 4500;
const LIMIT = 1;
const PAGES_AT_ONCE = 2;
/**
 * What may wait at most: the limit, the pages that passed the gate at one reading below it, and the
 * cycle's end, which is sent without waiting (it is one event).
 */
const MOST_WAITING = LIMIT + PAGES_AT_ONCE + 1;

async function metric(url: string, name: string): Promise<number> {
  const text = await fetch(`${url}/metrics`).then((res) => res.text());
  const line = text.split('\n').find((l) => l.startsWith(`${name}{`));
  return line === undefined ? NaN : Number(line.split(' ').at(-1));
}

describe('directory watcher backpressure', () => {
  const env = new TestEnvironment();
  const connection = redisOptionsFromUrl(env.redisUrl);
  const queue = new Queue(QueueName.AssignmentChanges, { connection, prefix: env.queuePrefix });
  const settings = env.env({ WATCH_BACKLOG_LIMIT: String(LIMIT), WATCH_PAGE_CONCURRENCY: String(PAGES_AT_ONCE), LOG_LEVEL: 'warn' });
  let watcher: ServiceProcess | undefined;

  beforeAll(async () => {
    ensureServicesBuilt(['directory-watcher']);
    // The watcher creates its tables; the directory is then filled in bulk, for an initial cycle of many pages.
    await (await ServiceProcess.start('directory-watcher', settings)).kill('SIGTERM');
    await env.query(
      `INSERT INTO demo_user (id, user_principal_name, account_enabled, attributes)
       SELECT 'u' || i, 'user' || i || '@example.com', true, jsonb_build_object('givenName', 'Given' || i)
         FROM generate_series(1, $1) AS i`,
      [USERS],
    );
    await env.query(`INSERT INTO demo_assignment SELECT 'User', 'u' || i, $2 FROM generate_series(1, $1) AS i`, [USERS, TEST_APP_ROLE]);
    await env.query(`DELETE FROM watch_cursor`);
    // What the empty directory's cycle sent (its end) is not this test's.
    await queue.drain();
  });

  afterAll(async () => {
    await watcher?.kill();
    await queue.close();
    await env.dispose();
  });

  const waiting = () => queue.getWaitingCount();
  const queuedEvents = async () => (await queue.getJobs(['wait'])).reduce((n, job) => n + (job.data as AssignmentChangeBatch).events.length, 0);

  it('reads no further page while more than WATCH_BACKLOG_LIMIT batches wait, even killed meanwhile, and every user still comes out once', async () => {
    watcher = await ServiceProcess.start('directory-watcher', settings);
    const url = watcher.url;
    // Held, with every page it sent also saved: nothing stands between a send and its save.
    await waitFor(
      async () =>
        (await metric(url, 'roster_sync_backlog_holding')) === 1 &&
        (await queuedEvents()) === (await getJson<{ eventsEmitted: number }>(`${url}/sync/status`)).body.eventsEmitted,
      { what: 'the watcher to hold its cycle with every page it sent saved', timeoutMs: 120_000 },
    ).catch(async (error: Error) => {
      const status = (await getJson(`${url}/sync/status`)).body;
      throw new Error(`${error.message}; holding ${await metric(url, 'roster_sync_backlog_holding')}, ${await queuedEvents()} events queued, status ${JSON.stringify(status)}`);
    });
    expect(await waiting()).toBeLessThanOrEqual(MOST_WAITING);
    expect(await metric(url, 'roster_sync_backlog_limit')).toBe(LIMIT);
    expect(await metric(url, 'roster_sync_backlog_batches')).toBeGreaterThan(LIMIT);

    // Killed while it holds, it reads again what it had not sent.
    await watcher.kill('SIGKILL');
    watcher = await ServiceProcess.start('directory-watcher', settings);

    // A consumer takes the batches one at a time, noting how many waited each time it took one.
    const events: AssignmentChangeEvent[] = [];
    let mostWaiting = 0;
    const consumer = new Worker(
      QueueName.AssignmentChanges,
      async (job) => {
        mostWaiting = Math.max(mostWaiting, (await waiting()) + 1);
        events.push(...(job.data as AssignmentChangeBatch).events);
      },
      { connection, prefix: env.queuePrefix, concurrency: 1 },
    );
    try {
      await waitFor(async () => events.some((e) => e.type === T.CycleCompleted), { what: 'the initial cycle to end', timeoutMs: 120_000 });
    } finally {
      await consumer.close();
    }
    expect(mostWaiting).toBeLessThanOrEqual(MOST_WAITING);
    const users = events.filter((e) => e.type !== T.CycleCompleted).map(subjectIdOf);
    expect(users).toHaveLength(USERS);
    expect(new Set(users).size).toBe(USERS);
    const orders = events.map((e) => BigInt(e.source.order));
    expect(new Set(orders).size).toBe(orders.length);
  });
});
