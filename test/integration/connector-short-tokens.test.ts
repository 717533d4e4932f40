import { ProvisioningCommandType } from '@roster/contracts';
import { SCIM_URN } from '@roster/goto-emulator';
import { aCommand, userNameOf } from '@roster/testing';
import { ConnectorStack } from '../support/connector-stack';

const USERS = 40;
const range = (n: number) => Array.from({ length: n }, (_, i) => i);
const departmentOf = (n: number) => `Dept ${n}`;

/**
 * Tokens that live 2 s, and a rate limit (5/s) that makes 16 concurrent commands wait about 3 s for
 * a slot: a token taken before the wait expired on the way, and the renewed one again, which used to
 * quarantine the job as "fix the GoTo credentials". The limiter spaces the 40 updates over at least
 * 8 s, so the run outlives several tokens on an idle machine as on a loaded one.
 */
describe.each([
  ['standard status codes (401 = bad token)', false],
  ['Citrix status codes (403 = bad token)', true],
])('connector: short-lived tokens while requests queue for the rate limit, %s', (_style, citrixStatusCodes) => {
  const stack = new ConnectorStack({
    audit: true,
    goto: { tokenTtlSeconds: 2, citrixStatusCodes },
    env: { GOTO_RATE_LIMIT_PER_SECOND: '5', CONNECTOR_CONCURRENCY: '16', QUARANTINE_INITIAL_MS: '500', QUARANTINE_MAX_MS: '1000' },
  });
  beforeAll(() => stack.start());
  afterAll(() => stack.stop());

  it('applies every update, renewing tokens as they expire, with no fatal quarantine', async () => {
    stack.goto.seedUsers(range(USERS).map((n) => ({ userName: userNameOf(n, 'short'), name: { givenName: 'Ada', familyName: `short${n}` } })));
    const department = `${SCIM_URN.enterpriseUser}:department`;
    await stack.push(
      range(USERS).map((n) => aCommand({ n, run: 'short', order: 2, type: ProvisioningCommandType.UpdateUser, change: { [department]: departmentOf(n) } })),
    );
    await stack.settled('every update', 120_000);

    const departments = range(USERS).map((n) => {
      const user = stack.goto.users.getByUserName(userNameOf(n, 'short'));
      return (user?.attributes[SCIM_URN.enterpriseUser] as { department?: string } | undefined)?.department;
    });
    expect(departments).toEqual(range(USERS).map(departmentOf));
    expect(await stack.deadLetters()).toEqual([]);
    expect(await stack.logs(`action = 'Other' AND details->>'kind' = 'fatal'`)).toEqual([]);
    // The run outlived its first token: the test exercised renewal.
    expect(stack.goto.requestLog.entries({ family: 'auth' }).length).toBeGreaterThan(1);
  });
});
