import {
  ProvisioningCommandType as C,
  connectorRpcPattern,
  reconciliationRunSchema,
  type ProvisioningCommand,
  type ReconciliationRun,
} from '@roster/contracts';
import { ReconnectingClientRedis, advisoryKey } from '@roster/platform';
import { TEST_DATABASE_URL, TEST_JOB_ID, TEST_REDIS_URL, aCommand, getJson, sendJson, userNameOf, waitFor } from '@roster/testing';
import IORedis from 'ioredis';
import { Client } from 'pg';
import { firstValueFrom } from 'rxjs';
import { DataSource } from 'typeorm';
import type { UserCommand } from '../../services/connector/src/accounts/desired-state';
import { UserLinkRepository } from '../../services/connector/src/provisioning/user-link.repository';
import { ConnectorStack } from '../support/connector-stack';

const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
const GROUP = { externalId: 'dir-drifters', displayName: 'Drifters' };
const range = (n: number) => Array.from({ length: n }, (_, i) => i);
const member = (n: number, add = true): ProvisioningCommand =>
  aCommand({ n, run: 'd', order: 2, type: add ? C.AddGroupMember : C.RemoveGroupMember, group: GROUP });

describe('connector: reconciliation against GoTo', () => {
  const stack = new ConnectorStack({ audit: true, env: { GOTO_RATE_LIMIT_PER_SECOND: '1000', GROUP_BATCH_WINDOW_MS: '200', QUEUE_EPOCH_CHECK_MS: '200' } });
  const goto = stack.goto;
  const account = (n: number) => goto.users.getByUserName(userNameOf(n, 'd'));
  const group = () => goto.groups.getByDisplayName(GROUP.displayName)!;
  const groupUserNames = () => [...group().members].map((id) => goto.users.get(id)!.userName).sort();
  /** What GoTo holds, to compare before and after. */
  const snapshot = () => ({
    users: [...goto.users.values()].map((u) => ({ id: u.id, attributes: u.attributes })),
    groups: [...goto.groups.values()].map((g) => ({ id: g.id, members: [...g.members].sort() })),
  });

  async function reconcile(body: object): Promise<ReconciliationRun> {
    const started = await sendJson<ReconciliationRun>('POST', `${stack.connector.url}/reconciliation`, body);
    expect(started.status).toBe(202);
    return finished(reconciliationRunSchema.parse(started.body).id);
  }

  function finished(id: string): Promise<ReconciliationRun> {
    return waitFor(
      async () => {
        const { body: run } = await getJson<ReconciliationRun>(`${stack.connector.url}/reconciliation/${id}`);
        return run.status !== 'running' && reconciliationRunSchema.parse(run);
      },
      { what: `reconciliation run ${id} to finish` },
    );
  }

  let outsider: string;
  let unmanagedBefore: unknown;

  beforeAll(async () => {
    await stack.start();
    // Users 0–7 provisioned; 0–3 in the group; 6 disabled by Roster.
    await stack.push(range(8).map((n) => aCommand({ n, run: 'd' })));
    await stack.settled();
    await stack.push([...range(4).map((n) => member(n)), aCommand({ n: 6, run: 'd', order: 2, type: C.DisableUser })]);
    await stack.settled();
    const outsiders = goto.seedUsers([0, 1].map((i) => ({ userName: `outsider${i}@example.com`, name: { givenName: 'Out', familyName: `Sider${i}` } })));
    outsider = outsiders[0]!.id;
    // By hand, behind Roster's back: renamed, department cleared, disabled, deleted, re-enabled, and the group's members moved.
    goto.byHand.editUser(account(0)!.id, { displayName: 'Renamed by hand', [ENTERPRISE]: null });
    goto.byHand.editUser(account(1)!.id, { active: false });
    goto.byHand.deleteUser(account(2)!.id);
    goto.byHand.editUser(account(6)!.id, { active: true });
    goto.byHand.changeGroupMembers(group().id, { remove: [account(3)!.id], add: [account(4)!.id, outsider] });
    unmanagedBefore = outsiders.map((o) => goto.users.get(o.id));
  }, 120_000);
  afterAll(() => stack.stop());

  it('dry run: reports every repair and the unmanaged accounts, and writes nothing to GoTo', async () => {
    const before = snapshot();
    const logged = goto.requestLog.size;

    const run = await reconcile({ dryRun: true });

    expect(run).toMatchObject({ status: 'completed', dryRun: true, trigger: 'on-demand' });
    expect(run.counts).toEqual({
      listed: 9, // 7 of Roster's (one deleted) and 2 outsiders
      managed: 8,
      missing: 1,
      changed: 1,
      toDisable: 1,
      toEnable: 1,
      membersToAdd: 1, // user 3; user 2's account is gone, it goes back with its re-creation
      membersToRemove: 2,
      unmanaged: 2,
    });
    expect(run.unmanaged!.map((u) => u.userName).sort()).toEqual(['outsider0@example.com', 'outsider1@example.com']);
    expect(snapshot()).toEqual(before);
    expect(goto.requestLog.entries().slice(logged).filter((e) => e.method !== 'GET' && e.path !== '/oauth/token')).toEqual([]);
    const planned = await waitFor(async () => {
      const rows = await stack.logs(`correlation_id = $1 AND step = 'skipped'`, [`reconcile-${run.id}`]);
      return rows.length === 7 && rows;
    }, { what: "the dry run's seven planned repairs in the log" });
    expect(planned.map((r) => r.action).sort()).toEqual(['AddMember', 'Create', 'Disable', 'RemoveMember', 'RemoveMember', 'Update', 'Update']);
    expect(planned.every((r) => r.reason!.startsWith('drift (dry run'))).toBe(true);
  });

  it('restores changed, disabled and deleted accounts and the group, leaves unmanaged accounts alone, and logs each repair as drift', async () => {
    const run = await reconcile({});
    expect(run.counts).toMatchObject({ missing: 1, changed: 1, toDisable: 1, toEnable: 1, membersToRemove: 2, unmanaged: 2 });
    await stack.settled('the repairs', 60_000);
    await waitFor(() => groupUserNames().includes(userNameOf(2, 'd')), { what: 're-created user 2 back in the group', timeoutMs: 60_000 });
    await stack.settled('the re-created account back in its group', 60_000);

    expect(account(0)!.attributes).toMatchObject({ displayName: 'Ada d0', [ENTERPRISE]: { department: 'R&D' } });
    expect(account(1)!.active).toBe(true);
    expect(account(2)).toMatchObject({ active: true, externalId: 'dir-d2' });
    expect(account(6)!.active).toBe(false);
    expect(groupUserNames()).toEqual([0, 1, 2, 3].map((n) => userNameOf(n, 'd')));
    expect(outsiderState()).toEqual(unmanagedBefore);
    expect(await stack.deadLetters()).toEqual([]);

    const records = await waitFor(async () => {
      const rows = await stack.logs(`correlation_id = $1 AND step = 'executed'`, [`reconcile-${run.id}`]);
      return rows.length >= 9 && rows;
    }, { what: "the run's repairs and summary in the log" });
    const repairs = records.filter((r) => r.action !== 'Other');
    expect(repairs.map((r) => r.action).sort()).toEqual(['AddMember', 'AddMember', 'Create', 'Disable', 'RemoveMember', 'RemoveMember', 'Update', 'Update']);
    expect(repairs.every((r) => r.reason!.startsWith('drift'))).toBe(true);
    const summary = records.find((r) => r.action === 'Other')!;
    expect(summary.details).toMatchObject({ event: 'reconciliation', runId: run.id, dryRun: false, counts: run.counts });
  });

  it('costs one listing when nothing differs: at most one request per 100 accounts and one for groups, no writes', async () => {
    goto.seedUsers(range(240).map((i) => ({ userName: `bystander${i}@example.com`, name: { givenName: 'By', familyName: `Stander${i}` } })));
    await stack.settled();
    const logged = goto.requestLog.size;

    const run = await reconcile({});

    const counts = run.counts!;
    expect(counts).toMatchObject({ listed: 250, missing: 0, changed: 0, toDisable: 0, toEnable: 0, membersToAdd: 0, membersToRemove: 0, unmanaged: 242 });
    const requests = goto.requestLog.entries().slice(logged);
    // Three pages of users, one of groups, and at most a token.
    expect(requests.filter((e) => e.path !== '/oauth/token').length).toBeLessThanOrEqual(Math.ceil(counts.listed / 100) + 1);
    expect(requests.length).toBeLessThanOrEqual(Math.ceil(counts.listed / 100) + 2);
    expect(requests.every((e) => e.method === 'GET' || e.path === '/oauth/token')).toBe(true);
    expect(run.requests).toBe(4);
  });

  it('refuses a second run while one is in progress on any replica (409 naming it), and validates the request', async () => {
    const holder = new Client({ connectionString: TEST_DATABASE_URL });
    await holder.connect();
    try {
      // What a run in progress holds, here held by the test.
      await holder.query('SELECT pg_advisory_lock($1)', [advisoryKey(`roster-connector-reconcile:${stack.env.schema}:${TEST_JOB_ID}`)]);
      const busy = await sendJson<{ error: string }>('POST', `${stack.connector.url}/reconciliation`, {});
      expect(busy.status).toBe(409);
      expect(busy.body).toMatchObject({ error: 'reconciliation-running' });
    } finally {
      await holder.end();
    }
    expect((await sendJson('POST', `${stack.connector.url}/reconciliation`, { dryRun: 'yes' })).status).toBe(400);
    expect((await sendJson('POST', `${stack.connector.url}/reconciliation`, { dryrun: true })).status).toBe(400);
    expect((await getJson(`${stack.connector.url}/reconciliation/not-a-uuid`)).status).toBe(400);
    expect((await getJson(`${stack.connector.url}/reconciliation/00000000-0000-4000-8000-000000000000`)).status).toBe(404);
  });

  it('runs on its schedule, one replica at a time', async () => {
    goto.byHand.editUser(account(5)!.id, { displayName: 'Scheduled drift' });
    const [replica, other] = [
      await stack.startConnector({ GOTO_RECONCILE_INTERVAL_MS: '1000' }),
      await stack.startConnector({ GOTO_RECONCILE_INTERVAL_MS: '1000' }),
    ];
    try {
      await waitFor(() => account(5)!.attributes['displayName'] === 'Ada d5', { what: 'a scheduled run to repair user 5', timeoutMs: 60_000 });
    } finally {
      await replica.app.close();
      await other.app.close();
    }
    const runs = await stack.env.query<{ status: string; started: string; finished: string | null }>(
      `SELECT status, extract(epoch FROM started_at)::text AS started, extract(epoch FROM finished_at)::text AS finished
         FROM connector_reconciliation_run WHERE trigger = 'schedule' ORDER BY started_at`,
    );
    expect(runs.some((r) => r.status === 'completed')).toBe(true);
    // Never two at once: each run ended before the next began. (A run the closing replicas cut short
    // may end failed; how many runs fit in the test, and whether the last was cut, depends on the load.)
    for (const [previous, next] of runs.slice(1).map((r, i) => [runs[i]!, r] as const)) {
      expect(previous.finished).not.toBeNull();
      expect(Number(next.started)).toBeGreaterThanOrEqual(Number(previous.finished));
    }
  });

  it("starts over the connector's Redis RPC transport ('reconcile'), the trigger other components call", async () => {
    goto.byHand.editUser(account(7)!.id, { displayName: 'RPC drift' });
    const client = new ReconnectingClientRedis(TEST_REDIS_URL);
    try {
      const started = await firstValueFrom(client.send<ReconciliationRun>(connectorRpcPattern(stack.env.queuePrefix, 'reconcile'), { reason: 'test' }));
      const run = await finished(reconciliationRunSchema.parse(started).id);
      expect(run).toMatchObject({ status: 'completed', trigger: 'on-demand', reason: 'test', counts: expect.objectContaining({ changed: 1 }) });
      await expect(firstValueFrom(client.send(connectorRpcPattern(stack.env.queuePrefix, 'reconcile'), { dryRun: 1 }))).rejects.toMatchObject({
        error: 'invalid-request',
      });
    } finally {
      await client.close();
    }
    await waitFor(() => account(7)!.attributes['displayName'] === 'Ada d7', { what: 'user 7 repaired' });
  });

  it('runs by itself when Redis lost its data (the queue epoch is gone): queued commands, and the writes they carried, may be lost', async () => {
    goto.byHand.deleteUser(account(5)!.id);
    const redis = new IORedis(TEST_REDIS_URL);
    try {
      await redis.del(`${stack.env.queuePrefix}:roster:epoch`);
    } finally {
      redis.disconnect();
    }
    const [incident] = await waitFor(
      () => stack.env.query<{ id: string }>(`SELECT id FROM connector_reconciliation_run WHERE trigger = 'incident'`).then((rows) => rows.length > 0 && rows),
      { what: 'a reconciliation started by the incident' },
    );
    expect(await finished(incident!.id)).toMatchObject({ status: 'completed', reason: 'queue incident: redis-data-lost', counts: expect.objectContaining({ missing: 1 }) });
    await waitFor(() => account(5) !== undefined, { what: 'user 5 re-created' });
  });

  it('does not put a deleted and re-created user back into the groups its deleted account was in', async () => {
    const again = { externalId: 'dir-again', displayName: 'Again' };
    await stack.push([aCommand({ n: 0, run: 'z' }), aCommand({ n: 1, run: 'z' })]);
    await stack.settled();
    await stack.push([0, 1].map((n) => aCommand({ n, run: 'z', order: 2, type: C.AddGroupMember, group: again })));
    await stack.settled();
    // GoTo drops a deleted account from its groups; the mapper sends no removal with the delete.
    await stack.push([aCommand({ n: 0, run: 'z', order: 3, type: C.DeleteUser })]);
    await stack.settled();
    await stack.push([aCommand({ n: 0, run: 'z', order: 4 })]);
    await stack.settled();

    expect((await reconcile({})).status).toBe('completed');
    await stack.settled('the repairs', 60_000);

    expect([...goto.groups.getByDisplayName('Again')!.members]).toEqual([goto.users.getByUserName(userNameOf(1, 'z'))!.id]);
  });

  it('compares GoTo with the newest desired state, not with what Roster last wrote: an update GoTo refused is brought in', async () => {
    await stack.push([aCommand({ n: 0, run: 'newest' })]);
    await stack.settled();
    goto.faults.failUserName(userNameOf(0, 'newest'), { status: 400 });
    try {
      await stack.push([aCommand({ n: 0, run: 'newest', order: 2, type: C.UpdateUser, change: { displayName: 'Newest' } })]);
      await stack.settled();
    } finally {
      goto.faults.clear();
    }
    expect(goto.users.getByUserName(userNameOf(0, 'newest'))!.attributes['displayName']).toBe('Ada newest0');

    await reconcile({});
    await stack.settled('the repair', 60_000);

    expect(goto.users.getByUserName(userNameOf(0, 'newest'))!.attributes['displayName']).toBe('Newest');
  });

  /** User 0 of `run`, in a group, then deleted in GoTo by hand: a run must re-create it and put it back. */
  async function vanishedMember(run: string): Promise<void> {
    await stack.push([aCommand({ n: 0, run })]);
    await stack.settled();
    await stack.push([aCommand({ n: 0, run, order: 2, type: C.AddGroupMember, group: { externalId: `dir-${run}`, displayName: `Group ${run}` } })]);
    await stack.settled();
    goto.byHand.deleteUser(goto.users.getByUserName(userNameOf(0, run))!.id);
  }

  it('stops waiting for a re-creation GoTo refused for good (dead-lettered): the run completes', async () => {
    await vanishedMember('refused');
    goto.faults.failUserName(userNameOf(0, 'refused'), { status: 400 });
    try {
      const run = await reconcile({});
      expect(run).toMatchObject({ status: 'completed', counts: expect.objectContaining({ missing: 1 }) });
      expect((await stack.deadLetters()).some((d) => d.idempotency_key.includes(run.id))).toBe(true);
    } finally {
      goto.faults.clear();
    }
  });

  it('lets its replica shut down while a re-created account is still awaited (its groups follow at the next run)', async () => {
    await vanishedMember('waiting');
    // No worker takes the re-creation, so the run waits for it.
    await stack.queue.pause();
    const replica = await stack.startConnector();
    try {
      const started = await sendJson<ReconciliationRun>('POST', `${replica.url}/reconciliation`, {});
      await waitFor(async () => (await stack.queue.getWaitingCount()) > 0, { what: 'the re-creation queued' });
      await replica.app.close();
      expect(await finished(started.body.id)).toMatchObject({ status: 'completed' });
    } finally {
      await stack.queue.resume();
    }
    await stack.settled('the re-creation', 60_000);
  });

  function outsiderState() {
    return [...goto.users.values()].filter((u) => u.userName.startsWith('outsider'));
  }
});

describe('connector: reconciliation finds a create that landed after the connector stopped waiting for it', () => {
  // Not waited for at all (watch 0): the user's disable finds no account and is done; only reconciliation sees the account.
  const stack = new ConnectorStack({ audit: true, env: { GOTO_RATE_LIMIT_PER_SECOND: '1000', GOTO_TIMEOUT_MS: '5000', RETRY_BASE_DELAY_MS: '500', GOTO_LATE_CREATE_WATCH_MS: '0' } });
  const goto = stack.goto;
  const USERS = '/identity/v1/Users';
  const notes = () => stack.env.query<{ user_id: string }>(`SELECT user_id FROM connector_write_attempt WHERE late_until IS NOT NULL ORDER BY user_id`);

  beforeAll(() => stack.start());
  afterAll(() => stack.stop());

  /** A create GoTo takes without answering (`fault`), then the user disabled before the account is read back. */
  async function lostCreateThenDisable(n: number, fault: 'apply-late' | 'drop'): Promise<ProvisioningCommand> {
    goto.faults.failNext(1, { kind: fault }, { method: 'POST', pathPrefix: USERS });
    const create = aCommand({ n, run: 'seen' });
    await stack.push([create]);
    await waitFor(() => goto.faults.describe().rules.length === 0, { what: 'the create to reach GoTo' });
    // Recorded before the account is read back (GOTO_TIMEOUT_MS after the lost answer), so the create's retry does not create again.
    const disable = aCommand({ n, run: 'seen', order: 2, type: C.DisableUser });
    await stack.connector.app.get(UserLinkRepository).recordDesired(stack.connector.app.get(DataSource), disable as UserCommand);
    await stack.push([disable]);
    await stack.settled(`user ${n}'s create and disable`, 60_000);
    return create;
  }

  it('logs the create once, disables the account, and forgets a create that never landed', async () => {
    await stack.push([aCommand({ n: 0, run: 'seen' })]);
    await stack.settled();
    const since = Date.now();
    const late = await lostCreateThenDisable(1, 'apply-late');
    await lostCreateThenDisable(2, 'drop');
    expect((await notes()).map((r) => r.user_id)).toEqual(['dir-seen1', 'dir-seen2']);
    expect(goto.faults.applyLate()).toBe(1);
    await waitFor(() => goto.users.getByUserName(userNameOf(1, 'seen')), { what: 'the late create to land' });

    const started = await sendJson<ReconciliationRun>('POST', `${stack.connector.url}/reconciliation`, { dryRun: false });
    const id = reconciliationRunSchema.parse(started.body).id;
    const run = await waitFor(
      async () => {
        const { body } = await getJson<ReconciliationRun>(`${stack.connector.url}/reconciliation/${id}`);
        return body.status !== 'running' && reconciliationRunSchema.parse(body);
      },
      { what: 'the reconciliation run' },
    );
    await stack.settled('the late create settled', 60_000);

    expect(run.counts).toMatchObject({ unmanaged: 0 });
    expect(goto.users.getByUserName(userNameOf(1, 'seen'))).toMatchObject({ active: false });
    expect(goto.users.getByUserName(userNameOf(2, 'seen'))).toBeUndefined();
    const writes = goto.requestLog.entries({ pathPrefix: USERS, since }).filter((e) => e.write);
    expect(writes.map((e) => [e.method, e.write!.userName])).toEqual([
      ['POST', userNameOf(1, 'seen')],
      ['PATCH', userNameOf(1, 'seen')],
    ]);
    const executed = await stack.logs(`step = 'executed' AND message_id LIKE ANY($1)`, [[late.idempotencyKey, `%/reconcile-${id}/late-create-%`, 'seen:2:%']]);
    expect(executed.map((r) => [r.message_id === late.idempotencyKey ? 'create' : 'repair', /landed late/.test(r.reason ?? '')])).toEqual([
      ['create', true],
      ['repair', false],
    ]);
    expect(await notes()).toEqual([]);
  }, 240_000);
});
