import IORedis from 'ioredis';
import { DEMO_PRINCIPALS, GotoEmulator } from '@roster/goto-emulator';
import { TEST_REDIS_URL, TestEnvironment, waitFor } from '@roster/testing';
import {
  COMMANDS,
  ConnectorProcess,
  commandFor,
  commandQueue,
  commandsSettled,
  connectorEnv,
  ensureConnectorBuilt,
  pushCommands,
  userNameOf,
} from '../../bench/connector-harness';

const USERS = '/identity/v1/Users';
const BATCH = 300;

/**
 * What BullMQ does by itself once a dead worker's locks expire (lockDuration, 30 s) and two stalled
 * checks have passed (stalledInterval, 30 s), done at once so the suite need not wait a minute: the
 * killed process's active jobs lose their locks and are marked stalled, so the next worker's first
 * stalled check moves them back to wait.
 */
async function expireLocksOfDeadWorker(prefix: string): Promise<number> {
  const redis = new IORedis(TEST_REDIS_URL);
  try {
    const base = `${prefix}:${COMMANDS}`;
    const active = await redis.lrange(`${base}:active`, 0, -1);
    if (active.length > 0) {
      await redis.del(...active.map((id) => `${base}:${id}:lock`));
      await redis.sadd(`${base}:stalled`, ...active);
    }
    await redis.del(`${base}:stalled-check`);
    return active.length;
  } finally {
    redis.disconnect();
  }
}

describe('connector killed mid-batch (kill -9) and restarted', () => {
  const env = new TestEnvironment();
  const goto = new GotoEmulator({ clients: [DEMO_PRINCIPALS.client], rateLimit: 'unthrottled' });
  const queue = commandQueue(env.queuePrefix);
  let connector: ConnectorProcess | undefined;

  beforeAll(async () => {
    ensureConnectorBuilt();
    await goto.start();
  }, 120_000);
  afterAll(async () => {
    await connector?.kill();
    await queue.close();
    await goto.stop();
    await env.dispose();
  });

  it('finishes the batch with exactly one account per user', async () => {
    // Some accounts already exist, and every answer takes a while, so writes are in flight at the kill.
    goto.seedUsers(Array.from({ length: 30 }, (_, i) => ({ userName: userNameOf(i * 10, 'k'), name: { givenName: 'Old', familyName: 'Name' } })));
    goto.faults.setLatency(25);
    const config = connectorEnv(env, goto, { GOTO_RATE_LIMIT_PER_SECOND: '1000', CONNECTOR_CONCURRENCY: '16' });
    connector = await ConnectorProcess.start(config);
    await pushCommands(
      queue,
      Array.from({ length: BATCH }, (_, n) => commandFor({ n, run: 'k' })),
    );

    await waitFor(() => goto.users.size >= 120, { what: 'the batch to be well under way', timeoutMs: 30_000 });
    await connector.kill('SIGKILL');
    const createdAtKill = goto.users.size;
    const interrupted = await expireLocksOfDeadWorker(env.queuePrefix);
    expect(createdAtKill).toBeLessThan(BATCH);
    expect(interrupted).toBeGreaterThan(0);

    connector = await ConnectorProcess.start(config);
    await waitFor(() => commandsSettled(queue), { what: 'the restarted connector to finish the batch', timeoutMs: 30_000, intervalMs: 200 });

    expect(goto.users.size).toBe(BATCH);
    const accounts = [...goto.users.values()];
    expect(new Set(accounts.map((a) => a.userName.toLowerCase())).size).toBe(BATCH);
    expect(accounts.every((a) => a.externalId === `dir-${a.userName.split('@')[0]}`)).toBe(true);
    // Every account was created once: a create whose answer was lost in the kill is adopted (409), not repeated.
    const created = goto.requestLog.entries({ method: 'POST', pathPrefix: USERS }).filter((e) => e.status === 201);
    expect(created).toHaveLength(BATCH - 30);
    const adoptedAfterRestart = goto.requestLog.entries({ method: 'POST', pathPrefix: USERS }).filter((e) => e.status === 409);
    expect(adoptedAfterRestart.length).toBeGreaterThan(0);
    const links = await env.query<{ user_id: string; target_id: string }>(`SELECT user_id, target_id FROM connector_user_link`);
    expect(links).toHaveLength(BATCH);
    expect(links.every((l) => goto.users.get(l.target_id)?.externalId === l.user_id)).toBe(true);
    expect(await env.query(`SELECT 1 FROM connector_dead_letter`)).toEqual([]);
    expect(await queue.getJobCounts('failed')).toEqual({ failed: 0 });
  }, 60_000);
});
