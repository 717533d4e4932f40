import { ProvisioningCommandType as C, type ProvisioningCommand } from '@roster/contracts';
import { DEMO_PRINCIPALS } from '@roster/goto-emulator';
import { jobIdFor } from '@roster/platform';
import { aCommand, userNameOf, waitFor } from '@roster/testing';
import { ConnectorStack } from '../support/connector-stack';

const GROUPS = '/identity/v1/Groups';
const range = (n: number) => Array.from({ length: n }, (_, i) => i);

/** A membership command for user `n` of `run`, as the mapper sends it after the user's create. */
const memberCommand = (n: number, run: string, displayName: string, add = true, order = 2): ProvisioningCommand =>
  aCommand({ n, run, order, type: add ? C.AddGroupMember : C.RemoveGroupMember, group: { externalId: `dir-${displayName}`, displayName } });

describe('connector: GoTo groups', () => {
  // A window long enough that, however loaded the machine, every command below is accepted within it.
  const stack = new ConnectorStack({ audit: true, env: { GOTO_RATE_LIMIT_PER_SECOND: '1000', GROUP_BATCH_WINDOW_MS: '5000' } });
  const goto = stack.goto;
  const accountIdOf = (n: number, run: string) => goto.users.getByUserName(userNameOf(n, run))!.id;
  const requests = (method: string, since: number) => goto.requestLog.entries({ method, pathPrefix: GROUPS, since });

  beforeAll(() => stack.start());
  afterAll(() => stack.stop());

  async function provision(run: string, count: number): Promise<void> {
    await stack.push(range(count).map((n) => aCommand({ n, run })));
    await stack.settled();
  }

  const accepted = (command: ProvisioningCommand, what: string) =>
    waitFor(async () => (await stack.env.query(`SELECT 1 FROM connector_group_membership WHERE command_key = $1`, [command.idempotencyKey])).length > 0, { what });

  /**
   * User 0's add (order 2) and the removal after it (order 3), and user 1's add, pending together:
   * GoTo refuses every group PATCH (503) until the faults are cleared, so they meet in one batch.
   */
  async function addThenRemoveInOneBatch(run: string, displayName: string): Promise<{ add: ProvisioningCommand; remove: ProvisioningCommand }> {
    await provision(run, 2);
    goto.faults.failNext(Number.MAX_SAFE_INTEGER, { kind: 'status', status: 503 }, { method: 'PATCH', pathPrefix: GROUPS });
    const add = memberCommand(0, run, displayName, true, 2);
    const remove = memberCommand(0, run, displayName, false, 3);
    await stack.push([add, memberCommand(1, run, displayName)]);
    await accepted(add, 'the add accepted');
    await stack.push([remove]);
    await accepted(remove, 'the removal accepted');
    return { add, remove };
  }

  it('adopts a group created between its lookup and its create (409 uniqueness): one group, both members, no dead letter', async () => {
    await provision('race', 2);
    const second = await stack.startConnector();
    try {
      // The other racer's group exists, but the lookup was answered before it did.
      goto.faults.failNext(1, { kind: 'status', status: 200, body: emptyList() }, { method: 'GET', pathPrefix: GROUPS });
      const since = Date.now();
      const racer = await fetch(`${goto.baseUrl}${GROUPS}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${await clientToken()}`, 'content-type': 'application/scim+json' },
        body: JSON.stringify({ schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'], displayName: 'Racers' }),
      });
      expect(racer.status).toBe(201);
      await stack.push([memberCommand(0, 'race', 'Racers'), memberCommand(1, 'race', 'Racers')]);
      await stack.settled();

      const racers = [...goto.groups.values()].filter((g) => g.displayName === 'Racers');
      expect(racers).toHaveLength(1);
      expect([...racers[0]!.members].sort()).toEqual([accountIdOf(0, 'race'), accountIdOf(1, 'race')].sort());
      expect(requests('POST', since).map((e) => e.status)).toEqual([201, 409]);
      expect(await stack.deadLetters()).toEqual([]);
    } finally {
      await second.app.close();
    }
  });

  it("never lets a user's removal be overtaken by the add before it, and fails only the member GoTo refuses", async () => {
    await provision('order', 3);
    const add = memberCommand(0, 'order', 'Ordered', true, 2);
    await stack.push([add, memberCommand(1, 'order', 'Ordered'), memberCommand(2, 'order', 'Ordered')]);
    await waitFor(async () => (await stack.env.query(`SELECT 1 FROM connector_group_membership WHERE command_key = $1`, [add.idempotencyKey])).length > 0, {
      what: 'the add accepted',
    });
    // The removal follows the add while it may still wait for its PATCH: whichever way they meet, the removal wins.
    await stack.push([memberCommand(0, 'order', 'Ordered', false, 3)]);
    // User 2's account disappears from GoTo before the PATCH: only its command fails.
    await fetch(`${goto.baseUrl}/identity/v1/Users/${accountIdOf(2, 'order')}`, { method: 'DELETE', headers: { authorization: `Bearer ${await clientToken()}` } });
    await stack.settled();

    expect([...goto.groups.getByDisplayName('Ordered')!.members]).toEqual([accountIdOf(1, 'order')]);
    const dead = await stack.deadLetters();
    expect(dead.map((d) => d.idempotency_key)).toEqual([memberCommand(2, 'order', 'Ordered').idempotencyKey]);
    expect(dead[0]!.error).toMatchObject({ status: 400 });
  });

  it('looks a group deleted in GoTo behind Roster up again and creates it anew (404 on PATCH)', async () => {
    await provision('gone', 2);
    await stack.push([memberCommand(0, 'gone', 'Vanishing')]);
    await stack.settled();
    const first = goto.groups.getByDisplayName('Vanishing')!;
    await fetch(`${goto.baseUrl}${GROUPS}/${first.id}`, { method: 'DELETE', headers: { authorization: `Bearer ${await clientToken()}` } });
    const since = Date.now();

    await stack.push([memberCommand(1, 'gone', 'Vanishing')]);
    await stack.settled();

    const again = goto.groups.getByDisplayName('Vanishing')!;
    expect(again.id).not.toBe(first.id);
    expect([...again.members]).toEqual([accountIdOf(1, 'gone')]);
    expect(requests('PATCH', since).map((e) => e.status)).toEqual([404, 204]);
    expect(requests('POST', since).map((e) => e.status)).toEqual([201]);
    expect((await stack.deadLetters()).filter((d) => d.idempotency_key.startsWith('gone:'))).toEqual([]);
  });

  it('logs a member PATCH whose answer was lost once, attempted then executed, and never sends it again', async () => {
    await provision('lost', 2);
    const since = Date.now();
    // GoTo applies the PATCH, then the connection drops before its answer.
    goto.faults.failNext(1, { kind: 'lose-answer' }, { method: 'PATCH', pathPrefix: GROUPS });
    const commands = [memberCommand(0, 'lost', 'Unanswered'), memberCommand(1, 'lost', 'Unanswered')];
    await stack.push(commands);
    await stack.settled('the PATCH, its answer lost, and the group read back', 60_000);

    const group = goto.groups.getByDisplayName('Unanswered')!;
    expect([...group.members].sort()).toEqual([accountIdOf(0, 'lost'), accountIdOf(1, 'lost')].sort());
    // The one PATCH GoTo applied; the group read back, not patched a second time.
    expect(requests('PATCH', since).filter((e) => e.write)).toHaveLength(1);
    expect(requests('GET', since).filter((e) => e.path.startsWith(`${GROUPS}/${group.id}`))).toHaveLength(1);
    for (const command of commands) {
      const steps = (await stack.logs(`message_id = $1`, [command.idempotencyKey])).map((r) => r.step);
      expect(steps.filter((s) => s === 'attempted')).toHaveLength(1);
      expect(steps.filter((s) => s === 'executed')).toHaveLength(1);
    }
    expect(await stack.env.query(`SELECT 1 FROM connector_group_write`)).toEqual([]);
  });

  it("settles an add whose answer was lost before deleting its account: GoTo applied it, so it is logged executed, once", async () => {
    await provision('leaver', 1);
    const since = Date.now();
    const accountId = accountIdOf(0, 'leaver');
    goto.faults.failNext(1, { kind: 'lose-answer' }, { method: 'PATCH', pathPrefix: GROUPS });
    const add = memberCommand(0, 'leaver', 'Leavers');
    await stack.push([add]);
    await waitFor(async () => requests('PATCH', since).some((e) => e.write), { what: 'the add applied in GoTo, its answer lost' });
    // Deleted before the group is read back: afterwards no read could tell that the add landed.
    await stack.push([aCommand({ n: 0, run: 'leaver', order: 3, type: C.DeleteUser })]);
    await stack.settled('the delete, held until the unanswered add is settled', 120_000);

    expect(goto.users.get(accountId)).toBeUndefined();
    expect(requests('PATCH', since).filter((e) => e.write)).toHaveLength(1);
    const steps = (await stack.logs(`message_id = $1`, [add.idempotencyKey])).map((r) => r.step);
    expect(steps.filter((s) => s === 'executed')).toHaveLength(1);
    expect(steps).not.toContain('failed');
    expect(await stack.env.query(`SELECT 1 FROM connector_group_write`)).toEqual([]);
  }, 180_000);

  it('keeps what a read-back proved though the PATCH after it loses its answer too: an add and the removal after it, each logged once', async () => {
    await provision('twice', 1);
    const since = Date.now();
    goto.faults.failNext(2, { kind: 'lose-answer' }, { method: 'PATCH', pathPrefix: GROUPS });
    const add = memberCommand(0, 'twice', 'Twice lost');
    await stack.push([add]);
    await waitFor(async () => requests('PATCH', since).some((e) => e.write), { what: 'the add applied in GoTo, its answer lost' });
    // Sent by the flush that reads the add back, and unanswered as well.
    const removal = memberCommand(0, 'twice', 'Twice lost', false, 3);
    await stack.push([removal]);
    await stack.settled('both PATCHes and their read-backs', 120_000);

    expect([...goto.groups.getByDisplayName('Twice lost')!.members]).toEqual([]);
    expect(requests('PATCH', since).filter((e) => e.write).map((e) => [e.write!.addedMembers, e.write!.removedMembers])).toEqual([
      [[accountIdOf(0, 'twice')], []],
      [[], [accountIdOf(0, 'twice')]],
    ]);
    for (const command of [add, removal]) expect(await stack.logs(`message_id = $1 AND step = 'executed'`, [command.idempotencyKey])).toHaveLength(1);
    expect(await stack.env.query(`SELECT 1 FROM connector_group_write`)).toEqual([]);
  }, 180_000);

  it('logs an add superseded in its batch by the removal after it as skipped, never executed', async () => {
    const { add, remove } = await addThenRemoveInOneBatch('superseded', 'Superseded');
    goto.faults.clear();
    await stack.settled();

    const group = goto.groups.getByDisplayName('Superseded')!;
    expect([...group.members]).toEqual([accountIdOf(1, 'superseded')]);
    expect(requests('PATCH', 0).flatMap((e) => (e.path.startsWith(`${GROUPS}/${group.id}`) ? (e.write?.addedMembers ?? []) : []))).toEqual([accountIdOf(1, 'superseded')]);
    const steps = await stack.logs(`message_id = $1 AND step IN ('executed', 'skipped')`, [add.idempotencyKey]);
    expect(steps.map((r) => r.step)).toEqual(['skipped']);
    expect(steps[0]!.reason).toMatch(/^superseded by a newer removal of this member \(order 3\)/);
    expect(await stack.logs(`message_id = $1 AND step = 'executed'`, [remove.idempotencyKey])).toHaveLength(1);
  });

  it('never sends an add its removal superseded, once the PATCH carrying the removal lost its answer and was read back', async () => {
    const since = Date.now();
    const { add, remove } = await addThenRemoveInOneBatch('readback', 'Read back');
    // The flush that sends the removal (and supersedes the add) loses its answer and rolls back; the
    // next one reads the removal back as landed and finds the add still pending.
    goto.faults.clear();
    goto.faults.failNext(1, { kind: 'lose-answer' }, { method: 'PATCH', pathPrefix: GROUPS });
    await stack.settled('the lost PATCH read back', 120_000);

    const group = goto.groups.getByDisplayName('Read back')!;
    expect([...group.members]).toEqual([accountIdOf(1, 'readback')]);
    const added = requests('PATCH', since).flatMap((e) => e.write?.addedMembers ?? []);
    expect(added).not.toContain(accountIdOf(0, 'readback'));
    const steps = await stack.logs(`message_id = $1 AND step IN ('executed', 'skipped')`, [add.idempotencyKey]);
    expect(steps.map((r) => [r.step, r.reason])).toEqual([['skipped', expect.stringMatching(/^superseded by a newer removal of this member \(order 3\)/)]]);
    expect(await stack.logs(`message_id = $1 AND step = 'executed'`, [remove.idempotencyKey])).toHaveLength(1);
  }, 180_000);

  it("waits for the user's create without using up attempts, however late it comes, then adds the member", async () => {
    const add = memberCommand(0, 'early', 'Early', true, 1);
    await stack.push([add]);
    // Deferred, not retried: back among the delayed jobs with no attempt used, again and again.
    const job = jobIdFor(add.idempotencyKey);
    await waitFor(async () => {
      const delayed = await stack.jobQueue.getDelayed();
      return delayed.some((j) => j.id === job && j.attemptsMade === 0);
    }, { what: 'the add deferred for want of an account' });
    expect(await stack.logs(`message_id = $1 AND step IN ('retried', 'failed')`, [add.idempotencyKey])).toEqual([]);
    await stack.push([aCommand({ n: 0, run: 'early' })]);
    await stack.settled('the create, then the add', 60_000);

    expect([...goto.groups.getByDisplayName('Early')!.members]).toEqual([accountIdOf(0, 'early')]);
    expect((await stack.deadLetters()).filter((d) => d.idempotency_key.startsWith('early:'))).toEqual([]);
    expect((await stack.logs(`message_id = $1`, [add.idempotencyKey])).map((r) => r.step)).toEqual(['attempted', 'executed']);
  });

  function emptyList() {
    return { schemas: ['urn:ietf:params:scim:api:messages:2.0:ListResponse'], totalResults: 0, startIndex: 1, itemsPerPage: 0, Resources: [] };
  }

  async function clientToken(): Promise<string> {
    const { clientId, clientSecret } = DEMO_PRINCIPALS.client;
    const res = await fetch(`${goto.baseUrl}/oauth/token`, {
      method: 'POST',
      headers: { authorization: `Basic ${Buffer.from(`${clientId}:${clientSecret}`).toString('base64')}`, 'content-type': 'application/x-www-form-urlencoded' },
      body: 'grant_type=client_credentials',
    });
    return ((await res.json()) as { access_token: string }).access_token;
  }
});

describe('connector: a big GoTo group', () => {
  // Long enough that every command below is accepted within one window however loaded the machine:
  // the first 100 go when they are 100, the other 50 when their window ends.
  const stack = new ConnectorStack({ audit: true, env: { GOTO_RATE_LIMIT_PER_SECOND: '1000', GROUP_BATCH_WINDOW_MS: '20000' } });
  const goto = stack.goto;

  beforeAll(() => stack.start());
  afterAll(() => stack.stop());

  it('sends 150 membership changes to a new group as one lookup, one create and two PATCHes, each command logged on its own', async () => {
    await stack.push(range(150).map((n) => aCommand({ n, run: 'big' })));
    await stack.settled();
    const since = Date.now();
    const commands = range(150).map((n) => memberCommand(n, 'big', 'Everyone'));
    await stack.push(commands);
    await stack.settled('150 membership changes', 90_000);

    const group = goto.groups.getByDisplayName('Everyone')!;
    expect(group.members.size).toBe(150);
    const groupRequests = (method: string) => goto.requestLog.entries({ method, pathPrefix: GROUPS, since });
    expect(groupRequests('GET')).toHaveLength(1);
    expect(groupRequests('POST')).toHaveLength(1);
    expect(groupRequests('PATCH').map((e) => e.write?.addedMembers?.length)).toEqual([100, 50]);
    const executed = await waitFor(async () => {
      const rows = await stack.logs(`action = 'AddMember' AND step = 'executed' AND message_id LIKE 'big:%'`);
      return rows.length >= 150 && rows;
    }, { what: '150 AddMember outcomes in the log' });
    expect(new Set(executed.map((r) => r.message_id))).toEqual(new Set(commands.map((c) => c.idempotencyKey)));
    expect(executed.every((r) => r.attempt === 1)).toBe(true);
  }, 150_000);
});
