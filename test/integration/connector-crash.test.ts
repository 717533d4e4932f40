import { ConnectorProcessRig, aCommand, userNameOf, waitFor } from '@roster/testing';

const USERS = '/identity/v1/Users';
const BATCH = 300;
/** Bounds for a busy machine, where two connector starts alone can take minutes: no speed is asserted. */
const WAIT_MS = 300_000;

describe('connector killed mid-batch (kill -9) and restarted', () => {
  const rig = new ConnectorProcessRig();
  const { env, goto, queue, jobQueue } = rig;

  beforeAll(() => rig.start(), 120_000);
  afterAll(() => rig.stop());

  it('finishes the batch with exactly one account per user', async () => {
    // Some accounts already exist, and every answer takes a while, so writes are in flight at the kill.
    goto.seedUsers(Array.from({ length: 30 }, (_, i) => ({ userName: userNameOf(i * 10, 'k'), name: { givenName: 'Old', familyName: 'Name' } })));
    goto.faults.setLatency(25);
    // Short holds, so BullMQ itself takes the dead worker's jobs up again within seconds.
    const settings = {
      GOTO_RATE_LIMIT_PER_SECOND: '1000',
      CONNECTOR_CONCURRENCY: '16',
      QUEUE_LOCK_MS: '2000',
      QUEUE_STALLED_CHECK_MS: '1000',
    };
    const connector = await rig.startConnector(settings);
    await rig.push(Array.from({ length: BATCH }, (_, n) => aCommand({ n, run: 'k' })));

    await waitFor(() => goto.users.size >= 120, { what: 'the batch to be well under way', timeoutMs: WAIT_MS });
    await connector.kill('SIGKILL');
    const createdAtKill = goto.users.size;
    const interrupted = await jobQueue.getActiveCount();
    expect(createdAtKill).toBeLessThan(BATCH);
    expect(interrupted).toBeGreaterThan(0);

    await rig.startConnector(settings);
    await waitFor(() => rig.settled(), { what: 'the restarted connector to finish the batch', timeoutMs: WAIT_MS, intervalMs: 200 });

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
  }, 3 * WAIT_MS);
});
