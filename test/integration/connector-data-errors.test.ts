import { aCommand, sampleSum, waitFor } from '@roster/testing';
import { ConnectorStack } from '../support/connector-stack';

const USERS = '/identity/v1/Users';

/**
 * Messages that pass the contract but that PostgreSQL refuses (SQLSTATE class 22/23) fail once: they
 * used to be retried 8–20 times, the connector repeating its GoTo write on each attempt.
 */
describe('connector: data errors are permanent', () => {
  const stack = new ConnectorStack({ audit: true, env: { GOTO_RATE_LIMIT_PER_SECOND: '1000', QUARANTINE_FAILURE_THRESHOLD: '100000' } });
  // Provisioning writes to GoTo's users; an admin-rights probe's deliberately invalid create (400) is not one.
  const writes = () => stack.goto.requestLog.entries({ pathPrefix: USERS }).filter((e) => e.method !== 'GET' && !(e.method === 'POST' && e.status === 400));

  beforeAll(() => stack.start());
  afterAll(() => stack.stop());

  it('dead-letters a command whose local step after the GoTo write hits a data error, after one GoTo write', async () => {
    // A check constraint stands in for any row PostgreSQL refuses: the link row is written only
    // after GoTo has created the account.
    await stack.env.query(`ALTER TABLE connector_user_link ADD CONSTRAINT refuse_poison CHECK (user_id <> 'dir-poison0' OR target_id IS NULL)`);
    const command = aCommand({ n: 0, run: 'poison' });
    await stack.push([command]);
    await waitFor(async () => (await stack.deadLetters()).length === 1, { what: 'the dead letter' });
    await stack.settled();

    const [dead] = await stack.deadLetters();
    expect(dead).toMatchObject({ idempotency_key: command.idempotencyKey, attempts: 1 });
    expect(dead!.reason).toMatch(/refuse_poison/);
    expect(writes().map((e) => `${e.method} ${e.status}`)).toEqual(['POST 201']);
    await waitFor(async () => (await stack.logs(`message_id = $1 AND step = 'failed'`, [command.idempotencyKey])).length === 1, {
      what: 'the failed record',
    });
    expect(await stack.logs(`message_id = $1 AND step = 'retried'`, [command.idempotencyKey])).toEqual([]);
  });

  it('rejects at the contract a command with NUL or an order beyond bigint: no GoTo call, no retry, the valid one applied', async () => {
    const before = writes().length;
    const nul = aCommand({ n: 1, run: 'nul', change: { 'name.givenName': 'A\u0000da' } });
    const huge = { ...aCommand({ n: 2, run: 'huge' }), order: '99999999999999999999' };
    const fine = aCommand({ n: 3, run: 'fine' });
    await stack.push([nul, huge, fine]);
    await stack.settled();

    expect(stack.goto.users.getByUserName(fine.matching[0].value)).toBeDefined();
    expect(writes().length - before).toBe(1);
    await waitFor(async () => (await stack.logs(`step = 'rejected'`)).length === 2, { what: 'two rejections' });
    const rejected = await stack.logs(`step = 'rejected'`);
    // Neither retried nor failed: the only failure in this suite is the poisoned command above.
    expect(await stack.logs(`step = 'retried'`)).toEqual([]);
    expect((await stack.logs(`step = 'failed'`)).length).toBe(1);
    const reasons = rejected.map((r) => r.reason);
    expect(reasons.join('\n')).toMatch(/contains a NUL character/);
    expect(reasons.join('\n')).toMatch(/PostgreSQL bigint/);
    // The connector counts the same outcomes on /metrics (its counters started with this suite).
    const metrics = await fetch(`${stack.connector.url}/metrics`).then((r) => r.text());
    const outcome = (o: string) => sampleSum(metrics, 'roster_queue_jobs_total', { queue: 'provisioning-commands', outcome: o });
    expect({ failed: outcome('failed'), rejected: outcome('rejected'), retrying: outcome('retrying') }).toEqual({ failed: 1, rejected: 2, retrying: 0 });
  });
});
