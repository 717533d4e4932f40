import type { ProvisioningCommand } from '@roster/contracts';
import { aCommand, waitFor } from '@roster/testing';
import { ConnectorStack } from '../support/connector-stack';

const SCIM = '/identity/v1';
const LIMITS = { maxOperations: 3, maxPayloadSize: 1_000_000 };
const range = (n: number) => Array.from({ length: n }, (_, i) => i);

/** Seven creates in one batch, the fourth for a domain GoTo has not verified (400). */
function batchOfCreates(run: string): { commands: ProvisioningCommand[]; invalid: ProvisioningCommand } {
  const commands = range(7).map((n) => (n === 3 ? aCommand({ n, run, change: { userName: `${run}${n}@unverified.example.net` } }) : aCommand({ n, run })));
  return { commands, invalid: commands[3]! };
}

/**
 * A batch's creates share SCIM /Bulk requests where GoTo advertises bulk, each command keeping its
 * own outcome. Request counts hold however loaded the machine: a bulk request goes once every running
 * command of the batch waits on its write or maxOperations wait (GOTO_BULK_WAIT_MS far beyond the test).
 */
describe('connector: SCIM bulk where GoTo offers it', () => {
  const stack = new ConnectorStack({ goto: { bulk: LIMITS }, audit: true, env: { GOTO_BULK_WAIT_MS: '120000', GOTO_TIMEOUT_MS: '5000', QUARANTINE_FAILURE_THRESHOLD: '100000' } });
  const goto = stack.goto;
  /** The creates sent since `since`, one entry per request (no Test Connection or quarantine probe runs here). */
  const writes = (since: number) => goto.requestLog.entries({ family: 'scim', method: 'POST', since });
  const outcomes = async (commands: ProvisioningCommand[]) => {
    const rows = await stack.env.query<{ message_id: string; step: string }>(
      `SELECT message_id, step FROM provisioning_log WHERE service = 'connector' AND message_id = ANY($1) AND step IN ('executed', 'failed') ORDER BY message_id, step`,
      [commands.map((c) => c.idempotencyKey)],
    );
    return rows.map((r) => `${r.message_id} ${r.step}`);
  };

  beforeAll(async () => {
    await stack.start();
    await waitFor(async () => (await stack.env.query<{ bulk: unknown }>(`SELECT profile->'bulk' AS bulk FROM connector_target_profile`))[0]?.bulk != null, {
      what: 'the bulk limits read at start',
    });
  });
  afterAll(() => stack.stop());

  it('sends N creates as ceil(N / maxOperations) requests; the invalid user fails alone, every command logged with its own outcome', async () => {
    const since = Date.now();
    const { commands, invalid } = batchOfCreates('bulk');
    await stack.push(commands);
    await stack.settled();

    expect(writes(since).map((e) => e.path.replace(SCIM, '')).sort()).toEqual(['/Bulk', '/Bulk', '/Users']);
    const valid = commands.filter((c) => c !== invalid);
    for (const command of valid) expect(goto.users.getByUserName(command.matching[0].value)).toBeDefined();
    expect(goto.users.size).toBe(valid.length);
    await waitFor(async () => (await outcomes(commands)).length === commands.length, { what: 'a record of each command' });
    expect(await outcomes(commands)).toEqual(commands.map((c) => `${c.idempotencyKey} ${c === invalid ? 'failed' : 'executed'}`).sort());
    const dead = await stack.deadLetters();
    expect(dead.map((d) => [d.idempotency_key, d.error.status])).toEqual([[invalid.idempotencyKey, 400]]);
    // Each account linked to its own command's user.
    const links = await stack.env.query<{ user_id: string; target_id: string }>(`SELECT user_id, target_id FROM connector_user_link WHERE target_id IS NOT NULL`);
    expect(links.map((l) => goto.users.get(l.target_id)?.attributes['externalId']).sort()).toEqual(valid.map((c) => c.userId).sort());
  });

  it('a bulk request that got no answer leaves each of its writes unanswered: read back and logged executed once, nothing created twice', async () => {
    const since = Date.now();
    const commands = range(3).map((n) => aCommand({ n, run: 'lost' }));
    goto.faults.failNext(1, { kind: 'lose-answer' }, { pathPrefix: `${SCIM}/Bulk` });
    await stack.push(commands);
    await stack.settled('the lost bulk to be read back', 60_000);

    const bulks = writes(since).filter((e) => e.path === `${SCIM}/Bulk`);
    expect(bulks.map((e) => [e.status, e.writes?.length])).toEqual([[0, 3]]);
    expect(writes(since)).toHaveLength(1);
    for (const command of commands) expect(goto.users.getByUserName(command.matching[0].value)).toBeDefined();
    await waitFor(async () => (await outcomes(commands)).length === commands.length, { what: 'a record of each command' });
    expect(await outcomes(commands)).toEqual(commands.map((c) => `${c.idempotencyKey} executed`).sort());
    expect(await stack.deadLetters()).toHaveLength(1);
  });
});

describe('connector: GOTO_BULK=off', () => {
  const stack = new ConnectorStack({ goto: { bulk: LIMITS }, audit: true, env: { GOTO_BULK: 'off', QUARANTINE_FAILURE_THRESHOLD: '100000' } });
  beforeAll(() => stack.start());
  afterAll(() => stack.stop());

  it('changes nothing: one request per create, bulk never asked about, the invalid user failing alone', async () => {
    const { commands, invalid } = batchOfCreates('single');
    await stack.push(commands);
    await stack.settled();

    const posts = stack.goto.requestLog.entries({ family: 'scim', method: 'POST' }).filter((e) => e.status !== 400 || e.write);
    expect(posts.map((e) => `${e.path.replace(SCIM, '')} ${e.status}`)).toEqual(range(6).map(() => '/Users 201'));
    expect(stack.goto.requestLog.entries({ pathPrefix: `${SCIM}/ServiceProviderConfig` })).toEqual([]);
    expect((await stack.deadLetters()).map((d) => [d.idempotency_key, d.error.status])).toEqual([[invalid.idempotencyKey, 400]]);
    expect(stack.goto.users.size).toBe(6);
  });
});
