import { DEMO_PRINCIPALS, GotoEmulator } from '@roster/goto-emulator';
import {
  ConnectorProcess,
  TestEnvironment,
  aCommand,
  commandQueue,
  commandsSettled,
  connectorEnv,
  ensureConnectorBuilt,
  jobCommandQueue,
  pushCommands,
  userNameOf,
  waitFor,
} from '@roster/testing';

const USERS = '/identity/v1/Users';
const BATCH = 300;

describe('connector killed mid-batch (kill -9) and restarted', () => {
  const env = new TestEnvironment();
  const goto = new GotoEmulator({ clients: [DEMO_PRINCIPALS.client], rateLimit: 'unthrottled' });
  const queue = commandQueue(env.queuePrefix);
  const jobQueue = jobCommandQueue(env.queuePrefix);
  let connector: ConnectorProcess | undefined;

  beforeAll(async () => {
    ensureConnectorBuilt();
    await goto.start();
  }, 120_000);
  afterAll(async () => {
    await connector?.kill();
    await queue.close();
    await jobQueue.close();
    await goto.stop();
    await env.dispose();
  });

  it('finishes the batch with exactly one account per user', async () => {
    // Some accounts already exist, and every answer takes a while, so writes are in flight at the kill.
    goto.seedUsers(Array.from({ length: 30 }, (_, i) => ({ userName: userNameOf(i * 10, 'k'), name: { givenName: 'Old', familyName: 'Name' } })));
    goto.faults.setLatency(25);
    // Short holds, so BullMQ itself takes the dead worker's jobs up again within seconds.
    const config = connectorEnv(env, goto, {
      GOTO_RATE_LIMIT_PER_SECOND: '1000',
      CONNECTOR_CONCURRENCY: '16',
      QUEUE_LOCK_MS: '2000',
      QUEUE_STALLED_CHECK_MS: '1000',
    });
    connector = await ConnectorProcess.start(config);
    await pushCommands(
      queue,
      Array.from({ length: BATCH }, (_, n) => aCommand({ n, run: 'k' })),
    );

    await waitFor(() => goto.users.size >= 120, { what: 'the batch to be well under way', timeoutMs: 30_000 });
    await connector.kill('SIGKILL');
    const createdAtKill = goto.users.size;
    const interrupted = await jobQueue.getActiveCount();
    expect(createdAtKill).toBeLessThan(BATCH);
    expect(interrupted).toBeGreaterThan(0);

    connector = await ConnectorProcess.start(config);
    await waitFor(() => commandsSettled(queue, jobQueue), { what: 'the restarted connector to finish the batch', timeoutMs: 30_000, intervalMs: 200 });

    expect(goto.users.size).toBe(BATCH);
    const accounts = [...goto.users.values()];
    expect(new Set(accounts.map((a) => a.userName.toLowerCase())).size).toBe(BATCH);
    expect(accounts.every((a) => a.externalId === `dir-${a.userName.split('@')[0]}`)).toBe(true);
    // Every account was created once: a create whose answer was lost in the kill left its write
    // mark, so its retry asked GoTo first and found the account instead of creating it again.
    const created = goto.requestLog.entries({ method: 'POST', pathPrefix: USERS }).filter((e) => e.status === 201);
    expect(created).toHaveLength(BATCH - 30);
    expect(await env.query(`SELECT 1 FROM connector_write_attempt`)).toEqual([]);
    const links = await env.query<{ user_id: string; target_id: string }>(`SELECT user_id, target_id FROM connector_user_link`);
    expect(links).toHaveLength(BATCH);
    expect(links.every((l) => goto.users.get(l.target_id)?.externalId === l.user_id)).toBe(true);
    expect(await env.query(`SELECT 1 FROM connector_dead_letter`)).toEqual([]);
    expect(await jobQueue.getJobCounts('failed')).toEqual({ failed: 0 });
    expect(await queue.getJobCounts('failed')).toEqual({ failed: 0 });
  }, 60_000);
});
