import { ProvisioningCommandType as C } from '@roster/contracts';
import { aCommand, userNameOf, waitFor } from '@roster/testing';
import { DataSource } from 'typeorm';
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver';
import { ConnectorStack } from '../support/connector-stack';

const USERS = '/identity/v1/Users';
const range = (n: number) => Array.from({ length: n }, (_, i) => i);

/**
 * The connector makes GoTo hold each user's newest desired state, whichever command runs, and logs
 * every write exactly: attempted before it is sent, executed once after, never a write twice.
 */
describe('connector: desired-state convergence and an exact log', () => {
  // Retries wait long enough that a command pushed after a failure runs before the failed one's retry.
  const stack = new ConnectorStack({
    audit: true,
    env: { GOTO_RATE_LIMIT_PER_SECOND: '1000', GOTO_TIMEOUT_MS: '3000', RETRY_BASE_DELAY_MS: '4000', GROUP_BATCH_WINDOW_MS: '50' },
  });
  const goto = stack.goto;
  const account = (n: number, run: string) => goto.users.getByUserName(userNameOf(n, run));
  /** GoTo's successful writes to users since `since`, by method. */
  const writes = (since: number, method: string) => goto.requestLog.entries({ method, pathPrefix: USERS, since }).filter((e) => e.status >= 200 && e.status < 300);
  const stepsOf = async (key: string) => (await stack.logs(`message_id = $1`, [key])).map((r) => r.step);
  const logged = (key: string, steps: string[]) =>
    waitFor(async () => {
      const now = await stepsOf(key);
      return steps.every((s) => now.includes(s)) && now;
    }, { what: `${steps.join(', ')} logged for ${key}` });

  /** Fails the first save of `userId`'s outcome after GoTo answered its write (the retry's succeeds); resolves to the undo. */
  const failFirstSave = async (userId: string) => {
    const name = `fail_first_save_${userId.replace(/\W/g, '_')}`;
    await stack.env.query(`CREATE SEQUENCE ${name}`);
    await stack.env.query(`
      CREATE FUNCTION ${name}() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NEW.user_id = '${userId}' AND NEW.applied IS NOT NULL AND nextval('${name}') = 1 THEN
          RAISE EXCEPTION 'injected: the local transaction fails after the GoTo write';
        END IF;
        RETURN NEW;
      END $$`);
    await stack.env.query(`CREATE TRIGGER ${name} BEFORE UPDATE ON connector_user_link FOR EACH ROW EXECUTE FUNCTION ${name}()`);
    return () => stack.env.query(`DROP TRIGGER ${name} ON connector_user_link`);
  };

  beforeAll(() => stack.start());
  afterAll(() => stack.stop());

  it('converges a stale command to the newer desired state instead of dropping it or writing its older state', async () => {
    await stack.push([aCommand({ n: 1, run: 'stale' })]);
    await stack.settled();
    const since = Date.now();
    // The newer update's PATCH fails once (503): it waits for its retry, its desired state recorded.
    goto.faults.failNext(1, { kind: 'status', status: 503 }, { method: 'PATCH', pathPrefix: USERS });
    const newer = aCommand({ n: 1, run: 'stale', order: 9, type: C.UpdateUser, change: { displayName: 'New' } });
    await stack.push([newer]);
    await logged(newer.idempotencyKey, ['retried']);
    // An older update arrives late (a retry after an outage, say).
    const older = aCommand({ n: 1, run: 'stale', order: 8, type: C.UpdateUser, change: { displayName: 'Mid' } });
    await stack.push([older]);
    await stack.settled();

    expect(account(1, 'stale')!.attributes).toMatchObject({ displayName: 'New' });
    // One write carried the change: the older command never wrote its older state.
    expect(writes(since, 'PATCH')).toHaveLength(1);
    const [olderRecord] = (await stack.logs(`message_id = $1 AND step IN ('executed', 'skipped')`, [older.idempotencyKey])) as { reason: string }[];
    expect(olderRecord!.reason).toMatch(/^stale command \(order 8 < 9\): (converged to the newer state|GoTo already holds the newer state)$/);
  });

  it('applies a user change older than a membership change, and a membership change older than a user change', async () => {
    await stack.push([aCommand({ n: 1, run: 'dims' })]);
    await stack.settled();
    const group = { externalId: 'dir-dims', displayName: 'Dims' };
    await stack.push([aCommand({ n: 1, run: 'dims', order: 9, type: C.AddGroupMember, group })]);
    await stack.settled();
    await stack.push([aCommand({ n: 1, run: 'dims', order: 8, type: C.UpdateUser, change: { displayName: 'Changed' } })]);
    await stack.push([aCommand({ n: 1, run: 'dims', order: 7, type: C.AddGroupMember, group: { externalId: 'dir-other', displayName: 'Other' } })]);
    await stack.settled();

    const user = account(1, 'dims')!;
    expect(user.attributes).toMatchObject({ displayName: 'Changed' });
    expect([...goto.groups.getByDisplayName('Dims')!.members]).toEqual([user.id]);
    expect([...goto.groups.getByDisplayName('Other')!.members]).toEqual([user.id]);
  });

  it('creates a user once when the answer to its create is lost: one account, one write, attempted and executed logged once', async () => {
    const since = Date.now();
    // GoTo creates the account after the connector has given up waiting (timeout 3 s).
    goto.faults.failNext(1, { kind: 'slow', delayMs: 4500 }, { method: 'POST', pathPrefix: USERS });
    const create = aCommand({ n: 1, run: 'lost' });
    await stack.push([create]);
    await stack.settled('the create and its retry', 30_000);

    expect([...goto.users.values()].filter((u) => u.userName === userNameOf(1, 'lost'))).toHaveLength(1);
    // The one POST GoTo received (and answered too late: logged without a status); no second write.
    expect(goto.requestLog.entries({ method: 'POST', pathPrefix: USERS, since }).map((e) => e.status)).toEqual([0]);
    expect(goto.requestLog.entries({ method: 'PATCH', pathPrefix: USERS, since })).toEqual([]);
    const steps = await logged(create.idempotencyKey, ['attempted', 'executed']);
    expect(steps.filter((s) => s === 'attempted' || s === 'executed').sort()).toEqual(['attempted', 'executed']);
  });

  it('logs a write whose local transaction then failed as attempted and executed once, and does not write again', async () => {
    // The first save of user 1's outcome fails after GoTo created the account; the retry's succeeds.
    const undo = await failFirstSave('dir-rollback1');
    try {
      const since = Date.now();
      const create = aCommand({ n: 1, run: 'rollback' });
      await stack.push([create]);
      await stack.settled();

      expect(account(1, 'rollback')).toBeDefined();
      expect([...writes(since, 'POST'), ...writes(since, 'PATCH')]).toHaveLength(1);
      const steps = await logged(create.idempotencyKey, ['attempted', 'retried', 'executed']);
      expect(steps.filter((s) => s !== 'retried').sort()).toEqual(['attempted', 'executed']);
      expect(await stack.env.query(`SELECT 1 FROM connector_write_attempt WHERE user_id = 'dir-rollback1'`)).toEqual([]);
    } finally {
      await undo();
    }
  });

  it('clears an attribute of an account its own create made though that outcome was rolled back: the account is not adopted as foreign', async () => {
    const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
    const DEPARTMENT = `${ENTERPRISE}:department`;
    const department = () => (account(1, 'cleared')!.attributes[ENTERPRISE] as { department?: string } | undefined)?.department;
    // The create lands in GoTo, its local transaction fails (a retry waits 4 s); the directory clears
    // the department meanwhile, and that update is the next command of the user.
    const undo = await failFirstSave('dir-cleared1');
    try {
      const create = aCommand({ n: 1, run: 'cleared' });
      await stack.push([create]);
      await logged(create.idempotencyKey, ['retried']);
      expect(department()).toBe('R&D');
      await stack.push([aCommand({ n: 1, run: 'cleared', order: 2, type: C.UpdateUser, change: { [DEPARTMENT]: null } })]);
      await stack.settled();

      expect(department()).toBeUndefined();
      expect(await stack.deadLetters()).toEqual([]);
    } finally {
      await undo();
    }
  });

  it('adopts an existing account without removing what the source never had, on the 409 path and from the index', async () => {
    // An account made in GoTo after the index was loaded (409 on create), and one the index lists.
    await stack.push([aCommand({ n: 0, run: 'adopt' })]);
    await stack.settled();
    const seeded = (n: number) => ({ userName: userNameOf(n, 'adopt'), name: { givenName: 'Made', familyName: 'Elsewhere' }, displayName: 'Kept by GoTo' });
    goto.seedUsers([seeded(1)]);
    await stack.push([aCommand({ n: 1, run: 'adopt', change: { displayName: null } })]);
    await stack.settled();
    expect(account(1, 'adopt')!.attributes).toMatchObject({ externalId: 'dir-adopt1', displayName: 'Kept by GoTo' });
    expect(goto.requestLog.entries({ method: 'POST', pathPrefix: USERS }).filter((e) => e.status === 409)).toHaveLength(1);

    // A later change of another attribute leaves it alone too: Roster never owned it.
    await stack.push([aCommand({ n: 1, run: 'adopt', order: 2, type: C.UpdateUser, change: { displayName: null, 'name.givenName': 'Ann' } })]);
    await stack.settled();
    expect(account(1, 'adopt')!.attributes).toMatchObject({ name: { givenName: 'Ann' }, displayName: 'Kept by GoTo' });
    expect(await stack.deadLetters()).toEqual([]);
  });

  it('converges every user with one write each when PostgreSQL drops the connector mid-command', async () => {
    const USERS_IN_RUN = 60;
    const since = Date.now();
    goto.faults.setLatency(20);
    const commands = range(USERS_IN_RUN).map((n) => aCommand({ n, run: 'pgdown' }));
    try {
      await stack.push(commands);
      // Terminate every connection of the connector's pool three times while creates are in flight.
      let terminated = 0;
      for (const progress of [10, 25, 40]) {
        await waitFor(() => [...goto.users.values()].filter((u) => u.userName.startsWith('pgdown')).length >= progress, { what: `${progress} accounts` });
        terminated += await terminateConnectorBackends();
      }
      expect(terminated).toBeGreaterThan(0);
      await stack.settled('the batch after PostgreSQL dropped the connector', 60_000);
    } finally {
      goto.faults.setLatency(0);
    }

    const accounts = [...goto.users.values()].filter((u) => u.userName.startsWith('pgdown'));
    expect(accounts).toHaveLength(USERS_IN_RUN);
    expect(writes(since, 'POST')).toHaveLength(USERS_IN_RUN);
    expect(writes(since, 'PATCH')).toHaveLength(0);
    await waitFor(async () => (await stack.logs(`step = 'executed' AND message_id LIKE 'pgdown:%'`)).length === USERS_IN_RUN, { what: 'every executed record' });
    const executed = await stack.logs(`step = 'executed' AND message_id LIKE 'pgdown:%'`);
    expect(new Set(executed.map((r) => r.message_id)).size).toBe(USERS_IN_RUN);
    const attempted = await stack.logs(`step = 'attempted' AND message_id LIKE 'pgdown:%'`);
    expect(attempted).toHaveLength(USERS_IN_RUN);
    expect(await stack.deadLetters()).toEqual([]);
  });

  /** pg_terminate_backend on exactly this connector's pooled connections (other suites share the server). */
  async function terminateConnectorBackends(): Promise<number> {
    const driver = stack.connector.app.get(DataSource).driver as PostgresDriver;
    const pool = driver.master as { _clients: { processID?: number }[] };
    const pids = pool._clients.map((c) => c.processID).filter((pid): pid is number => typeof pid === 'number');
    const rows = await stack.env.query(`SELECT pid FROM unnest($1::int[]) AS pid WHERE pg_terminate_backend(pid)`, [pids]);
    return rows.length;
  }
});

describe('connector: a write marked but never sent', () => {
  // The failed command's retry comes 10-20 s later, long after the newer command's wait for the
  // unanswered write (GOTO_TIMEOUT_MS) is over, however loaded the machine.
  const stack = new ConnectorStack({ audit: true, env: { GOTO_RATE_LIMIT_PER_SECOND: '1000', GOTO_TIMEOUT_MS: '2000', RETRY_BASE_DELAY_MS: '20000', RETRY_MAX_DELAY_MS: '40000' } });
  const goto = stack.goto;

  beforeAll(() => stack.start());
  afterAll(() => stack.stop());

  it('is settled as not landed by the next command of its user, so the failed command never claims the newer write', async () => {
    await stack.push([aCommand({ n: 1, run: 'unsent' })]);
    await stack.settled();
    const since = Date.now();
    // The first update's PATCH is dropped unanswered, not applied: its mark stays, its outcome unknown.
    goto.faults.failNext(1, { kind: 'drop' }, { method: 'PATCH', pathPrefix: USERS });
    const first = aCommand({ n: 1, run: 'unsent', order: 2, type: C.UpdateUser, change: { displayName: 'First' } });
    await stack.push([first]);
    await waitFor(async () => (await stack.logs(`message_id = $1 AND step = 'retried'`, [first.idempotencyKey])).length > 0, { what: 'the first update to fail' });
    // A newer update runs before the first one's retry: it settles the first one's mark, then writes.
    const newer = aCommand({ n: 1, run: 'unsent', order: 3, type: C.UpdateUser, change: { displayName: 'Newer' } });
    await stack.push([newer]);
    await stack.settled('both updates, the first one retried', 60_000);

    expect(goto.users.getByUserName(userNameOf(1, 'unsent'))!.attributes).toMatchObject({ displayName: 'Newer' });
    const patches = goto.requestLog.entries({ method: 'PATCH', pathPrefix: USERS, since }).filter((e) => e.write);
    expect(patches).toHaveLength(1);
    const outcome = async (key: string) => (await stack.logs(`message_id = $1 AND step IN ('executed', 'skipped')`, [key])).map((r) => r.step);
    expect(await waitFor(() => outcome(newer.idempotencyKey).then((s) => s.length > 0 && s), { what: 'the newer outcome' })).toEqual(['executed']);
    expect(await waitFor(() => outcome(first.idempotencyKey).then((s) => s.length > 0 && s), { what: 'the first outcome' })).toEqual(['skipped']);
  }, 90_000);

  it("links the account a membership change finds its user's unanswered create made, and brings it to the newer desired state", async () => {
    const since = Date.now();
    // GoTo creates the account and the answer is lost: the create's mark stays, its retry comes 20–40 s later.
    goto.faults.failNext(1, { kind: 'lose-answer' }, { method: 'POST', pathPrefix: USERS });
    const create = aCommand({ n: 2, run: 'unsent' });
    await stack.push([create]);
    await waitFor(async () => (await stack.logs(`message_id = $1 AND step = 'retried'`, [create.idempotencyKey])).length > 0, { what: 'the create to fail' });
    // The user's disable recorded its desired state and was killed before writing (its job runs again later).
    await stack.env.query(
      `UPDATE connector_user_link SET desired = jsonb_set(desired || jsonb_build_object('type', 'user.disable', 'order', '5'), '{attributes,active}', 'false')
        WHERE user_id = $1`,
      [create.userId],
    );
    // Its removal from a group runs first: it reads the create back, finds the account, and must not leave it unlinked.
    const removal = aCommand({ n: 2, run: 'unsent', order: 5, type: C.RemoveGroupMember, group: { externalId: 'dir-Left', displayName: 'Left' } });
    await stack.push([removal]);
    await stack.settled('the removal, then the create retried', 90_000);

    const accounts = [...goto.users.values()].filter((u) => u.userName === userNameOf(2, 'unsent'));
    expect(accounts.map((u) => u.active)).toEqual([false]);
    const userWrites = goto.requestLog.entries({ pathPrefix: USERS, since }).filter((e) => e.write);
    expect(userWrites.map((e) => e.method)).toEqual(['POST', 'PATCH']);
    const executed = await stack.logs(`correlation_id IN ($1, $2) AND step = 'executed'`, [create.correlationId, removal.correlationId]);
    expect(executed.map((r) => r.action).sort()).toEqual(['Create', 'Disable']);
  }, 150_000);
});
