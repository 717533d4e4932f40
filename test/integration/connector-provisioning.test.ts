import { ProvisioningCommandType as C } from '@roster/contracts';
import { DEMO_PRINCIPALS } from '@roster/goto-emulator';
import { aCommand, requestSummary, userNameOf, waitFor } from '@roster/testing';
import { ConnectorStack } from '../support/connector-stack';

const USERS = '/identity/v1/Users';
const range = (n: number, from = 0) => Array.from({ length: n }, (_, i) => from + i);

describe('connector: exact, idempotent provisioning against GoTo', () => {
  const stack = new ConnectorStack({ audit: true, env: { GOTO_RATE_LIMIT_PER_SECOND: '1000', GOTO_TIMEOUT_MS: '3000' } });
  const goto = stack.goto;
  const account = (n: number, run: string) => goto.users.getByUserName(userNameOf(n, run));

  beforeAll(() => stack.start());
  afterAll(() => stack.stop());

  it('matches an initial sync against one paged read of GoTo: existing accounts adopted, at most 1.05 requests per user', async () => {
    goto.seedUsers(range(60).map((n) => ({ userName: userNameOf(n * 3, 'a'), name: { givenName: 'Old', familyName: 'Name' } })));
    const seededIds = range(60).map((n) => account(n * 3, 'a')!.id);
    const since = Date.now();

    await stack.push(range(200).map((n) => aCommand({ n, run: 'a' })));
    await stack.settled();

    expect(goto.users.size).toBe(200);
    expect(range(60).map((n) => account(n * 3, 'a')!.id)).toEqual(seededIds);
    expect(account(3, 'a')!.attributes).toMatchObject({ name: { givenName: 'Ada', familyName: 'a3' }, externalId: 'dir-a3' });
    const { entries } = requestSummary(goto, since);
    expect(entries.filter((e) => e.method === 'GET' && e.path === USERS)).toHaveLength(1);
    expect(entries.filter((e) => e.method === 'POST' && e.path === USERS)).toHaveLength(140);
    expect(entries.length / 200).toBeLessThanOrEqual(1.05);
    const adopted = await waitFor(async () => {
      const rows = await stack.logs(`step = 'executed' AND reason LIKE 'matched an existing account%'`);
      return rows.length === 60 && rows;
    });
    expect(adopted.every((r) => r.attempt === 1)).toBe(true);
    expect((await stack.env.query(`SELECT count(*)::int AS n FROM connector_user_link WHERE target_id IS NOT NULL`))[0]!.n).toBe(200);
  });

  it('refuses a command of a provisioning job it does not serve: logged as rejected, never sent to GoTo', async () => {
    const since = Date.now();
    const foreign = aCommand({ n: 1, run: 'foreign', provisioningJobId: 'no-such-job' });
    await stack.push([foreign]);
    await stack.settled();
    const [rejected] = await waitFor(async () => {
      const rows = await stack.logs(`message_id = $1 AND step = 'rejected'`, [foreign.idempotencyKey]);
      return rows.length > 0 && rows;
    }, { what: 'the rejection in the log' });
    expect(rejected).toMatchObject({ status: 'failure', action: 'Create' });
    expect(rejected!.reason).toMatch(/unknown provisioning job "no-such-job": this connector serves "gotomeeting"/);
    expect(account(1, 'foreign')).toBeUndefined();
    expect(requestSummary(goto, since).entries.filter((e) => e.family === 'scim')).toEqual([]);
    expect(await stack.env.query(`SELECT 1 FROM connector_dead_letter WHERE job_id = 'no-such-job'`)).toEqual([]);
    expect(await stack.env.query(`SELECT 1 FROM connector_user_link WHERE job_id = 'no-such-job'`)).toEqual([]);
  });

  it('dead-letters a permanent GoTo error with its status and body after one attempt', async () => {
    const bad = { ...aCommand({ n: 1, run: 'perm' }), matching: [{ targetAttribute: 'userName', value: 'x@not-verified.org', precedence: 1 }] };
    const command = { ...bad, attributes: { ...bad.attributes, userName: 'x@not-verified.org' } };
    await stack.push([command]);
    await stack.settled();

    const [entry] = await stack.deadLetters();
    expect(entry).toMatchObject({ idempotency_key: command.idempotencyKey, status: 'dead', attempts: 1 });
    expect(entry!.error).toMatchObject({ kind: 'permanent', status: 400 });
    expect(JSON.stringify(entry!.error.body)).toMatch(/not-verified\.org/);
    const failed = await waitFor(async () => (await stack.logs(`message_id = $1 AND step = 'failed'`, [command.idempotencyKey]))[0]);
    expect(failed.error).toMatchObject({ status: 400 });
  });

  it('names the attribute GoTo refuses in the failed record and the dead letter', async () => {
    const base = aCommand({ n: 1, run: 'title' });
    const command = { ...base, attributes: { ...base.attributes, title: 'Engineer' } };
    await stack.push([command]);
    await stack.settled();

    const failed = await waitFor(async () => (await stack.logs(`message_id = $1 AND step = 'failed'`, [command.idempotencyKey]))[0]);
    expect(failed.details).toMatchObject({ attribute: 'title' });
    expect(failed.reason).toMatch(/GoTo refuses attribute "title": fix or remove its mapping/);
    const [entry] = (await stack.deadLetters()).filter((d) => d.idempotency_key === command.idempotencyKey);
    expect(entry!.error).toMatchObject({ status: 400, attribute: 'title' });
    expect(account(1, 'title')).toBeUndefined();
  });

  it('retries a transient error (503) with backoff and then applies the command', async () => {
    goto.faults.failNext(2, { kind: 'status', status: 503 }, { method: 'POST', pathPrefix: USERS });
    const command = aCommand({ n: 1, run: 'transient' });
    await stack.push([command]);
    await stack.settled();

    expect(account(1, 'transient')).toBeDefined();
    const logs = await waitFor(async () => {
      const rows = await stack.logs(`message_id = $1`, [command.idempotencyKey]);
      return rows.some((r) => r.step === 'executed') && rows;
    });
    expect(logs.filter((r) => r.step === 'retried').map((r) => r.error?.status)).toEqual([503, 503]);
    expect(logs.find((r) => r.step === 'executed')!.attempt).toBe(3);
    // How long the write took is the executed record's alone.
    expect(logs.filter((r) => r.duration_ms !== null).map((r) => [r.step, Number.isInteger(r.duration_ms) && r.duration_ms! >= 0])).toEqual([['executed', true]]);
  });

  it('waits out a 429 without using up an attempt', async () => {
    goto.faults.failNext(1, { kind: 'status', status: 429, headers: { 'retry-after': '1' } }, { method: 'POST', pathPrefix: USERS });
    const command = aCommand({ n: 1, run: 'limited' });
    const started = Date.now();
    await stack.push([command]);
    await waitFor(() => account(1, 'limited'), { what: 'the account after the 429' });

    expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
    const logs = await waitFor(async () => {
      const rows = await stack.logs(`message_id = $1`, [command.idempotencyKey]);
      return rows.some((r) => r.step === 'executed') && rows;
    });
    expect(logs.map((r) => [r.step, r.attempt])).toEqual([['attempted', 1], ['executed', 1]]);
  });

  it('takes a batch as a unit while each command keeps its own outcome: a user’s two updates in order, one refused for good, one retried alone', async () => {
    await stack.push(range(4).map((n) => aCommand({ n, run: 'mates' })));
    await stack.settled();
    const since = Date.now();
    const update = (n: number, order: number, displayName: string) => aCommand({ n, run: 'mates', order, type: C.UpdateUser, change: { displayName } });
    const created = aCommand({ n: 9, run: 'mates' });
    const refused = { ...created, matching: [{ targetAttribute: 'userName', value: 'x9@not-verified.org', precedence: 1 }], attributes: { ...created.attributes, userName: 'x9@not-verified.org' } };
    const batch = [update(0, 2, 'First'), update(1, 2, 'One'), refused, update(2, 2, 'Two'), update(0, 3, 'Second'), update(3, 2, 'Three')];
    goto.faults.failNext(1, { kind: 'status', status: 503 }, { method: 'PATCH', pathPrefix: USERS });
    await stack.push(batch);
    await stack.settled('the batch and its retry');

    expect(range(4).map((n) => account(n, 'mates')!.attributes.displayName)).toEqual(['Second', 'One', 'Two', 'Three']);
    expect((await stack.deadLetters()).filter((d) => d.idempotency_key.startsWith('mates:'))).toMatchObject([{ idempotency_key: refused.idempotencyKey, attempts: 1 }]);
    const logs = await stack.logs(`message_id = ANY($1)`, [batch.map((c) => c.idempotencyKey)]);
    const ends = (key: string) => logs.filter((r) => r.message_id === key && ['executed', 'skipped', 'failed'].includes(r.step)).map((r) => r.step);
    expect(batch.map((c) => ends(c.idempotencyKey).length)).toEqual(batch.map(() => 1));
    expect(ends(refused.idempotencyKey)).toEqual(['failed']);
    // The 503 fell on one command, which alone was retried; its batch-mates were done at their first attempt.
    const retried = logs.filter((r) => r.step === 'retried');
    expect(retried.map((r) => [r.error?.status, r.attempt])).toEqual([[503, 1]]);
    const done = logs.filter((r) => r.step === 'executed' || r.step === 'skipped');
    expect(done.filter((r) => r.attempt !== 1).map((r) => [r.message_id, r.attempt])).toEqual(done.filter((r) => r.message_id === retried[0]!.message_id).map((r) => [r.message_id, 2]));
    // Every PATCH GoTo applied has its executed record, and no executed record lacks its PATCH.
    const patches = goto.requestLog.entries({ method: 'PATCH', pathPrefix: USERS, since }).filter((e) => e.write);
    expect(logs.filter((r) => r.step === 'executed')).toHaveLength(patches.length);
  });

  it('runs a batch’s creates under one transaction, its outcomes stored together, while a create refused for good fails alone', async () => {
    const creates = range(20).map((n) => aCommand({ n, run: 'together' }));
    const refused = { ...creates[7]!, matching: [{ targetAttribute: 'userName', value: 'x7@not-verified.org', precedence: 1 }], attributes: { ...creates[7]!.attributes, userName: 'x7@not-verified.org' } };
    creates[7] = refused;
    await stack.push(creates);
    await stack.settled();

    const created = creates.filter((c) => c !== refused);
    expect(created.every((c) => goto.users.getByUserName(c.matching[0].value))).toBe(true);
    const logs = await waitFor(async () => {
      const rows = await stack.logs(`message_id = ANY($1) AND step IN ('executed', 'failed')`, [creates.map((c) => c.idempotencyKey)]);
      return rows.length === creates.length && rows;
    });
    expect(logs.filter((r) => r.step === 'failed').map((r) => r.message_id)).toEqual([refused.idempotencyKey]);
    expect(logs.every((r) => r.attempt === 1)).toBe(true);
    // Rows a transaction wrote carry its id (xmin): one for the links of all the batch's accounts.
    const links = await stack.env.query<{ n: number }>(`SELECT count(DISTINCT xmin::text)::int AS n FROM connector_user_link WHERE user_id = ANY($1) AND target_id IS NOT NULL`, [created.map((c) => c.userId)]);
    expect(links).toEqual([{ n: 1 }]);
    expect(await stack.env.query(`SELECT 1 FROM connector_write_attempt WHERE user_id = ANY($1)`, [created.map((c) => c.userId)])).toEqual([]);
  });

  it('ends where the commands in order would, when a user’s later disable and group removal run before its create and add (other batches, other replicas)', async () => {
    const create = aCommand({ n: 1, run: 'overtaken' });
    const add = aCommand({ n: 1, run: 'overtaken', type: C.AddGroupMember });
    await stack.push([aCommand({ n: 1, run: 'overtaken', order: 2, type: C.DisableUser }), aCommand({ n: 1, run: 'overtaken', order: 2, type: C.RemoveGroupMember })]);
    await stack.settled();
    expect(account(1, 'overtaken')).toBeUndefined();
    await stack.push([create, add]);
    await stack.settled();

    expect(account(1, 'overtaken')).toMatchObject({ active: false, attributes: expect.objectContaining({ displayName: 'Ada overtaken1' }) });
    expect(goto.groups.getByDisplayName('Group overtaken')?.members.size ?? 0).toBe(0);
    const logs = await waitFor(async () => {
      const rows = await stack.logs(`message_id = ANY($1) AND step IN ('executed', 'skipped')`, [[create.idempotencyKey, add.idempotencyKey]]);
      return rows.length === 2 && rows;
    });
    expect(logs.map((r) => [r.message_id, r.step])).toEqual([[create.idempotencyKey, 'executed'], [add.idempotencyKey, 'skipped']]);
  });

  it('adopts an account created in GoTo after the index was read (409 on create, then find)', async () => {
    const [outside] = goto.seedUsers([{ userName: userNameOf(1, 'late'), name: { givenName: 'Made', familyName: 'Elsewhere' } }]);
    const command = aCommand({ n: 1, run: 'late' });
    await stack.push([command]);
    await stack.settled();

    expect(account(1, 'late')).toMatchObject({ id: outside!.id, externalId: 'dir-late1' });
    const executed = await waitFor(async () => (await stack.logs(`message_id = $1 AND step = 'executed'`, [command.idempotencyKey]))[0]);
    expect(executed.reason).toBe('account already existed; adopted and updated it');
  });

  it('creates the account again when it was deleted in GoTo behind Roster (404 on update)', async () => {
    await stack.push([aCommand({ n: 1, run: 'gone' })]);
    await stack.settled();
    const first = account(1, 'gone')!;
    await fetch(`${goto.baseUrl}${USERS}/${first.id}`, { method: 'DELETE', headers: { authorization: `Bearer ${await adminToken()}` } });
    expect(account(1, 'gone')).toBeUndefined();

    await stack.push([aCommand({ n: 1, run: 'gone', order: 2, type: C.UpdateUser, change: { displayName: 'Engineer' } })]);
    await stack.settled();
    expect(account(1, 'gone')).toMatchObject({ attributes: expect.objectContaining({ displayName: 'Engineer' }) });
    expect(account(1, 'gone')!.id).not.toBe(first.id);
  });

  it('converges a command older than the newest seen to the newer state, which still delivers what the older one changed', async () => {
    await stack.push([aCommand({ n: 1, run: 'order' })]);
    await stack.settled();
    // The mapper sent "displayName" at order 2 and "department" at order 3; order 3 overtakes order 2.
    const newer = aCommand({ n: 1, run: 'order', order: 3, type: C.UpdateUser, change: { displayName: 'Lead', 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department': 'Ops' } });
    const older = aCommand({ n: 1, run: 'order', order: 2, type: C.UpdateUser, change: { displayName: 'Lead' } });
    await stack.push([{ ...newer, changed: ['urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department'] }]);
    await stack.settled();
    await stack.push([older]);
    await stack.settled();

    expect(account(1, 'order')!.attributes).toMatchObject({
      displayName: 'Lead',
      'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User': { department: 'Ops' },
    });
    const skipped = await waitFor(async () => (await stack.logs(`message_id = $1`, [older.idempotencyKey]))[0]);
    expect([skipped.step, skipped.reason]).toEqual(['skipped', 'stale command (order 2 < 3): GoTo already holds the newer state']);
  });

  it('never lets a write that timed out land over a newer one', async () => {
    await stack.push([aCommand({ n: 1, run: 'slow' })]);
    await stack.settled();
    const since = Date.now();
    // GoTo answers the first PATCH after 4.5 s, so the connector (timeout 3 s, long enough for ordinary
    // requests on a busy machine) gives up on it, yet GoTo applies it then.
    goto.faults.failNext(1, { kind: 'slow', delayMs: 4500 }, { method: 'PATCH', pathPrefix: USERS });
    await stack.push([aCommand({ n: 1, run: 'slow', order: 2, type: C.UpdateUser, change: { displayName: 'Old name' } })]);
    await waitFor(() => goto.faults.describe().rules.length === 0, { what: 'the slow PATCH to reach GoTo' });
    await stack.push([aCommand({ n: 1, run: 'slow', order: 3, type: C.UpdateUser, change: { displayName: 'New name' } })]);
    await stack.settled('both updates', 20_000);

    await goto.idle();
    expect(account(1, 'slow')!.attributes).toMatchObject({ displayName: 'New name' });
    // The connector gave up on the slow PATCH (no answer was sent), and sent the next only once GoTo
    // had applied it, whichever of the two updates that next one carried.
    const [slow, ...later] = goto.requestLog.entries({ method: 'PATCH', since }).sort((a, b) => a.time - b.time);
    expect(slow!.status).toBe(0);
    expect(later.map((p) => [p.status, p.time >= slow!.time + 4500])).toEqual(later.map(() => [200, true]));
    expect(later.length).toBeGreaterThan(0);
  });

  async function adminToken(): Promise<string> {
    const res = await fetch(`${goto.baseUrl}/oauth/token`, {
      method: 'POST',
      headers: {
        authorization: `Basic ${Buffer.from(`${DEMO_PRINCIPALS.client.clientId}:${DEMO_PRINCIPALS.client.clientSecret}`).toString('base64')}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: 'grant_type=client_credentials',
    });
    return ((await res.json()) as { access_token: string }).access_token;
  }
});
