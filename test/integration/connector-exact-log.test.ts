import { ProvisioningCommandType as C, type ProvisioningCommand } from '@roster/contracts';
import { aCommand, userNameOf } from '@roster/testing';
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
  const stack = new ConnectorStack({ audit: true, env: { GOTO_RATE_LIMIT_PER_SECOND: '1000', GOTO_TIMEOUT_MS: '2000', RETRY_BASE_DELAY_MS: '500' } });
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
});
