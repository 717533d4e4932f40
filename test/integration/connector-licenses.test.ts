import { ProvisioningCommandType as C, type ProvisioningCommand } from '@roster/contracts';
import { aCommand, userNameOf, waitFor } from '@roster/testing';
import { ConnectorStack } from '../support/connector-stack';

const MEETING = '4730126558413921284';
const WEBINAR = '4730126558413921285';
const ACCOUNT_USERS = '/admin/rest/v1/accounts/8887380153236031176710/users/';
const LICENSES = [
  { key: MEETING, description: 'GoToMeeting Business', products: ['G2M'], seats: 2 },
  { key: WEBINAR, description: 'GoToWebinar', products: ['G2W'] },
];

/** The command as a mapper with a license mapping sends it (version 2, the whole set of keys). */
function licensed<T extends ProvisioningCommand>(command: T, licenseKeys: string[]): T {
  return { ...command, version: 2, licenseKeys };
}

describe('connector: GoToMeeting licenses', () => {
  const stack = new ConnectorStack({ audit: true, goto: { licenses: LICENSES }, env: { GOTO_RATE_LIMIT_PER_SECOND: '1000' } });
  const goto = stack.goto;
  const account = (n: number, run: string) => goto.users.getByUserName(userNameOf(n, run));
  const licensePuts = (n: number, run: string) =>
    goto.requestLog.entries({ method: 'PUT', pathPrefix: `${ACCOUNT_USERS}${account(n, run)!.id}` }).length;
  /** The license warnings of a run's users, once `executed` commands of theirs are all in the log (a warning is logged before). */
  const warnings = async (run: string, executed: number) => {
    await waitFor(async () => (await stack.logs(`step = 'executed' AND action <> 'Other' AND message_id LIKE $1`, [`${run}:%`])).length === executed);
    return stack.logs(`status = 'warning' AND action = 'Other' AND message_id LIKE $1`, [`${run}:%`]);
  };

  beforeAll(() => stack.start());
  afterAll(() => stack.stop());

  it('assigns the licenses after create, replaces them when the role changes, and does not send an unchanged set again', async () => {
    await stack.push([licensed(aCommand({ n: 1, run: 'role' }), [MEETING])]);
    await stack.settled();
    expect(account(1, 'role')!.licenseKeys).toEqual([MEETING]);

    // A role change that changes no attribute: an update with nothing in `changed`.
    await stack.push([licensed(aCommand({ n: 1, run: 'role', type: C.UpdateUser, order: 2 }), [MEETING, WEBINAR])]);
    await stack.settled();
    expect([...account(1, 'role')!.licenseKeys].sort()).toEqual([MEETING, WEBINAR]);

    await stack.push([licensed(aCommand({ n: 1, run: 'role', type: C.UpdateUser, order: 3, change: { 'name.familyName': 'King' } }), [WEBINAR, MEETING])]);
    await stack.settled();
    expect(account(1, 'role')!.attributes).toMatchObject({ name: { familyName: 'King' } });
    expect(licensePuts(1, 'role')).toBe(2);
    const executed = await waitFor(async () => {
      const rows = await stack.logs(`step = 'executed' AND message_id LIKE 'role:1:%' AND reason LIKE 'licenses set%'`);
      return rows.length === 2 && rows;
    });
    expect(executed.map((r) => r.reason)).toEqual([`licenses set: ${MEETING}`, `licenses set: ${MEETING}, ${WEBINAR}`]);
  });

  it('takes the licenses away with a disable that says so, and leaves them with one that does not', async () => {
    await stack.push([licensed(aCommand({ n: 1, run: 'off' }), [MEETING]), licensed(aCommand({ n: 2, run: 'off' }), [WEBINAR])]);
    await stack.settled();
    await stack.push([
      licensed(aCommand({ n: 1, run: 'off', type: C.DisableUser, order: 2 }), []),
      aCommand({ n: 2, run: 'off', type: C.DisableUser, order: 2 }),
    ]);
    await stack.settled();
    expect(account(1, 'off')).toMatchObject({ active: false, licenseKeys: [] });
    expect(account(2, 'off')).toMatchObject({ active: false, licenseKeys: [WEBINAR] });
  });

  it('with no seat left: the user is provisioned, warned of once with the reason, and given the license by a later command once a seat is free', async () => {
    // role:1 holds one of the two MEETING seats (off:1 gave its up); seat:1 takes the other.
    // One after the other: run together, which of the two gets the last seat would be a race.
    await stack.push([licensed(aCommand({ n: 1, run: 'seat' }), [MEETING])]);
    await stack.settled();
    await stack.push([licensed(aCommand({ n: 2, run: 'seat' }), [MEETING])]);
    await stack.settled();
    expect(account(2, 'seat')).toMatchObject({ active: true, licenseKeys: [] });

    // Later commands try again (a seat may have been freed), but do not warn again.
    await stack.push([licensed(aCommand({ n: 2, run: 'seat', type: C.UpdateUser, order: 2, change: { displayName: 'A' } }), [MEETING])]);
    await stack.settled();
    expect(licensePuts(2, 'seat')).toBe(2);
    const [warning, ...more] = await warnings('seat', 3);
    expect(more).toEqual([]);
    expect(warning!.reason).toContain(`licenses [${MEETING}] could not be assigned; the account stays provisioned`);
    expect(warning!.reason).toContain(`no seats left on license '${MEETING}' (2 of 2 in use)`);
    expect(warning!.error).toMatchObject({ status: 409 });
    expect(await stack.deadLetters()).toEqual([]);

    await stack.push([licensed(aCommand({ n: 1, run: 'seat', type: C.DisableUser, order: 2 }), [])]);
    await stack.settled();
    await stack.push([licensed(aCommand({ n: 2, run: 'seat', type: C.UpdateUser, order: 3, change: { displayName: 'B' } }), [MEETING])]);
    await stack.settled();
    expect(account(2, 'seat')!.licenseKeys).toEqual([MEETING]);
    const [link] = await stack.env.query<{ licenses: string[]; license_warning: string | null }>(
      `SELECT licenses, license_warning FROM connector_user_link WHERE user_id = 'dir-seat2'`,
    );
    expect(link).toEqual({ licenses: [MEETING], license_warning: null });
  });

  it('stores the account licenses with their seats in the target profile at start', async () => {
    const [row] = await waitFor(async () => {
      const rows = await stack.env.query<{ profile: { licenses: unknown } }>(
        `SELECT profile FROM connector_target_profile WHERE profile->'licenses' <> 'null'`,
      );
      return rows.length > 0 && rows;
    });
    expect(row!.profile.licenses).toEqual([
      { key: MEETING, description: 'GoToMeeting Business', products: ['G2M'], seats: { total: 2, used: expect.any(Number) } },
      { key: WEBINAR, description: 'GoToWebinar', products: ['G2W'] },
    ]);
  });
});

describe('connector: licenses against a GoTo without the Admin API', () => {
  const stack = new ConnectorStack({ audit: true, goto: { adminApi: false }, env: { GOTO_RATE_LIMIT_PER_SECOND: '1000' } });

  beforeAll(() => stack.start());
  afterAll(() => stack.stop());

  it('provisions the user and warns once that the licenses could not be assigned', async () => {
    await stack.push([licensed(aCommand({ n: 1, run: 'noadmin' }), [MEETING])]);
    await stack.settled();
    await stack.push([licensed(aCommand({ n: 1, run: 'noadmin', type: C.UpdateUser, order: 2, change: { displayName: 'A' } }), [MEETING])]);
    await stack.settled();
    expect(stack.goto.users.getByUserName(userNameOf(1, 'noadmin'))).toMatchObject({ active: true, attributes: { displayName: 'A' } });
    await waitFor(async () => (await stack.logs(`step = 'executed' AND action <> 'Other'`)).length === 2);
    const rows = await stack.logs(`status = 'warning' AND action = 'Other'`);
    expect(rows).toHaveLength(1);
    expect(rows[0]!.reason).toMatch(/could not be assigned; the account stays provisioned/);
    expect(await stack.deadLetters()).toEqual([]);
    const [profile] = await stack.env.query<{ licenses: unknown }>(`SELECT profile->'licenses' AS licenses FROM connector_target_profile`);
    expect(profile).toEqual({ licenses: null });
  });
});
