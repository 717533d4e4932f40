import { ProvisioningCommandType as C, type ProvisioningCommand } from '@roster/contracts';
import { aCommand, userNameOf, waitFor } from '@roster/testing';
import { DataSource } from 'typeorm';
import { UserLinkRepository } from '../../services/connector/src/provisioning/user-link.repository';
import type { UserCommand } from '../../services/connector/src/accounts/desired-state';
import { ConnectorStack } from '../support/connector-stack';

const USERS = '/identity/v1/Users';

/**
 * Every write GoTo applies to a user appears in the log once as executed, whichever run of which
 * command made it: a command run again after its outcome was committed (its worker killed before
 * BullMQ heard it finished, the same attempt number again) is a run of its own.
 */
describe('connector: one executed record per write, whichever run made it', () => {
  // A create that may still land is watched far longer than any test step takes on a loaded machine.
  const stack = new ConnectorStack({
    audit: true,
    env: { GOTO_RATE_LIMIT_PER_SECOND: '1000', GOTO_TIMEOUT_MS: '5000', RETRY_BASE_DELAY_MS: '500', GOTO_LATE_CREATE_WATCH_MS: '600000' },
  });
  const goto = stack.goto;

  beforeAll(() => stack.start());
  afterAll(() => stack.stop());

  /** BullMQ runs the command again, with the attempt it had: as after a kill between the commit and the job's completion. */
  async function runAgain(command: ProvisioningCommand): Promise<void> {
    const id = command.idempotencyKey.replace(/:/g, '|');
    for (const queue of [stack.queue, stack.jobQueue]) await (await queue.getJob(id))?.remove();
    await stack.push([command]);
    await stack.settled();
  }

  it('logs the write of a command run again after its commit, which converged to a newer desired state', async () => {
    await stack.push([aCommand({ n: 1, run: 'again' })]);
    await stack.settled();
    const since = Date.now();
    const first = aCommand({ n: 1, run: 'again', order: 2, type: C.UpdateUser, change: { displayName: 'First' } });
    await stack.push([first]);
    await stack.settled();
    // A newer command has recorded its desired state and waits for the user's lock while the first runs again.
    const newer = aCommand({ n: 1, run: 'again', order: 3, type: C.UpdateUser, change: { displayName: 'Newer' } });
    await stack.connector.app.get(UserLinkRepository).recordDesired(stack.connector.app.get(DataSource), newer as UserCommand);
    await runAgain(first);
    await stack.push([newer]);
    await stack.settled();

    expect(goto.users.getByUserName(userNameOf(1, 'again'))!.attributes).toMatchObject({ displayName: 'Newer' });
    const patches = goto.requestLog.entries({ method: 'PATCH', pathPrefix: USERS, since }).filter((e) => e.write);
    expect(patches).toHaveLength(2);
    const executed = await stack.logs(`step = 'executed' AND message_id IN ($1, $2)`, [first.idempotencyKey, newer.idempotencyKey]);
    expect(executed.map((r) => r.message_id)).toEqual([first.idempotencyKey, first.idempotencyKey]);
    expect(executed[1]!.reason).toMatch(/^stale command \(order 2 < 3\): converged to the newer state/);
  });

  it('keeps the mark of a write a gateway answered 504 after GoTo applied it: the retry logs it once and does not write again', async () => {
    await stack.push([aCommand({ n: 1, run: 'gateway' })]);
    await stack.settled();
    const since = Date.now();
    goto.faults.failNext(1, { kind: 'lose-answer', status: 504 }, { method: 'PATCH', pathPrefix: USERS });
    const update = aCommand({ n: 1, run: 'gateway', order: 2, type: C.UpdateUser, change: { displayName: 'Through' } });
    await stack.push([update]);
    await stack.settled('the update and its retry', 120_000);

    expect(goto.users.getByUserName(userNameOf(1, 'gateway'))!.attributes).toMatchObject({ displayName: 'Through' });
    const patches = goto.requestLog.entries({ method: 'PATCH', pathPrefix: USERS, since }).filter((e) => e.write);
    expect(patches.map((e) => e.status)).toEqual([504]);
    const executed = await stack.logs(`step = 'executed' AND message_id = $1`, [update.idempotencyKey]);
    expect(executed).toHaveLength(1);
  }, 180_000);

  it('logs and disables a create GoTo applied after it was read back without it, the user unassigned meanwhile', async () => {
    await stack.push([aCommand({ n: 0, run: 'late' })]);
    await stack.settled();
    const since = Date.now();
    // GoTo takes the create, answers nothing, and applies it only once the test says so.
    goto.faults.failNext(1, { kind: 'apply-late' }, { method: 'POST', pathPrefix: USERS });
    const create = aCommand({ n: 1, run: 'late' });
    await stack.push([create]);
    await waitFor(() => goto.faults.describe().rules.length === 0, { what: 'the create to reach GoTo' });
    const heldAt = Date.now();
    // The user is unassigned before anyone reads the account back (that waits GOTO_TIMEOUT_MS after the lost answer).
    const disable = aCommand({ n: 1, run: 'late', order: 2, type: C.DisableUser });
    await stack.connector.app.get(UserLinkRepository).recordDesired(stack.connector.app.get(DataSource), disable as UserCommand);
    await stack.push([disable]);
    await waitFor(() => goto.requestLog.entries({ method: 'GET', pathPrefix: USERS, since: heldAt }).length > 0, { what: 'the account read back', timeoutMs: 60_000 });
    expect(goto.faults.applyLate()).toBe(1);
    await stack.settled('the late create found and the account disabled', 120_000);

    expect(goto.users.getByUserName(userNameOf(1, 'late'))).toMatchObject({ active: false });
    const userWrites = goto.requestLog.entries({ pathPrefix: USERS, since }).filter((e) => e.write);
    expect(userWrites.map((e) => [e.method, e.write!.op])).toEqual([
      ['POST', 'create'],
      ['PATCH', 'patch'],
    ]);
    // One executed record per write: the create's (logged once it was seen), and the disable's, by whichever command wrote it.
    const executed = await stack.logs(`step = 'executed' AND message_id IN ($1, $2)`, [create.idempotencyKey, disable.idempotencyKey]);
    expect(executed).toHaveLength(2);
    expect(executed.filter((r) => /landed late/.test(r.reason ?? '')).map((r) => r.message_id)).toEqual([create.idempotencyKey]);
    expect(await stack.env.query(`SELECT 1 FROM connector_write_attempt WHERE user_id = 'dir-late1'`)).toEqual([]);
  }, 240_000);

  it('logs a create that lands just as its retry creates again, from the account GoTo refuses the retry for (409)', async () => {
    const since = Date.now();
    goto.faults.failNext(1, { kind: 'apply-late' }, { method: 'POST', pathPrefix: USERS });
    // The held create is applied as the next one arrives: after the retry read the account back without it.
    const take = goto.faults.take.bind(goto.faults);
    const spy = jest.spyOn(goto.faults, 'take').mockImplementation((method, path) => {
      if (method === 'POST' && path.startsWith(USERS)) goto.faults.applyLate();
      return take(method, path);
    });
    try {
      const create = aCommand({ n: 1, run: 'race' });
      await stack.push([create]);
      await stack.settled('the create, lost, then retried', 120_000);

      expect(goto.users.getByUserName(userNameOf(1, 'race'))).toMatchObject({ active: true });
      const posts = goto.requestLog.entries({ method: 'POST', pathPrefix: USERS, since });
      expect(posts.map((e) => [e.status, e.write?.op])).toEqual([
        [0, 'create'],
        [409, undefined],
      ]);
      const outcomes = await stack.logs(`step IN ('executed', 'skipped') AND message_id = $1`, [create.idempotencyKey]);
      expect(outcomes.map((r) => r.step)).toEqual(['executed']);
      expect(outcomes[0]!.reason).toMatch(/landed late/);
      expect(await stack.env.query(`SELECT 1 FROM connector_write_attempt WHERE user_id = 'dir-race1'`)).toEqual([]);
    } finally {
      spy.mockRestore();
    }
  }, 240_000);
});
