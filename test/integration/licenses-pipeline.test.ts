import { DEFAULT_GOTOMEETING_MAPPING } from '@roster/mapping';
import { TEST_APP_ROLE, getJson, sendJson, waitFor } from '@roster/testing';
import { Pipeline } from '../support/pipeline';

const JOB = 'gotomeeting';
const MEETING = '4730126558413921284';
const WEBINAR = '4730126558413921285';
const UNKNOWN = '1111111111111111111';
const ORGANIZER_ROLE = 'a1b2c3d4-0000-4000-8000-000000000002';

type Problems = { message: string; problems: { path: string; message: string }[] };
type Computed = { action: string; details: { changed?: string[]; licenseKeys?: string[] } | null };

describe('licenses from mapping to GoTo', () => {
  const p = new Pipeline({
    licenses: [
      { key: MEETING, description: 'GoToMeeting Business', products: ['G2M'], seats: 5 },
      { key: WEBINAR, description: 'GoToWebinar', products: ['G2W'] },
    ],
  });
  const mapping = (byAppRole: Record<string, string[]>, removeOnDisable = true) => ({
    ...DEFAULT_GOTOMEETING_MAPPING,
    licenses: { byAppRole, removeOnDisable },
  });

  beforeAll(async () => {
    await p.start({ TEST_CONNECTION_INTERVAL_MS: '0' });
    // The connector reads the account's licenses at start, without holding its start up.
    await waitFor(async () => {
      const rows = await p.env.query(`SELECT 1 FROM connector_target_profile WHERE profile->'licenses' <> 'null'`);
      return rows.length > 0;
    }, { what: 'the account licenses in the target profile' });
  });
  afterAll(() => p.stop());

  it('refuses to save (and to validate) a mapping that names a license key the account lacks, naming it', async () => {
    for (const path of ['mapping', 'mapping/validate']) {
      const res = await sendJson<Problems>(path === 'mapping' ? 'PUT' : 'POST', `${p.mapper.url}/jobs/${JOB}/${path}`, mapping({ [TEST_APP_ROLE]: [MEETING, UNKNOWN] }));
      expect(res.status).toBe(400);
      expect(res.body.problems).toEqual([
        { path: `licenses.byAppRole.${TEST_APP_ROLE}[1]`, message: expect.stringContaining(`unknown license key "${UNKNOWN}"`) },
      ]);
    }
  });

  it('saves a valid one and answers with the licenses it gives and their free seats; Test Connection reports the same', async () => {
    const saved = await sendJson<{ licenses: unknown }>('PUT', `${p.mapper.url}/jobs/${JOB}/mapping`, mapping({ [TEST_APP_ROLE]: [MEETING], [ORGANIZER_ROLE]: [MEETING, WEBINAR] }));
    expect(saved.status).toBe(200);
    const expected = {
      unknownKeys: [],
      licenses: [
        { key: MEETING, description: 'GoToMeeting Business', products: ['G2M'], freeSeats: 5, appRoles: [TEST_APP_ROLE, ORGANIZER_ROLE].sort() },
        { key: WEBINAR, description: 'GoToWebinar', products: ['G2W'], freeSeats: null, appRoles: [ORGANIZER_ROLE] },
      ],
    };
    expect(saved.body.licenses).toEqual(expected);
    const tested = await sendJson<{ ok: boolean; licenses: unknown }>('POST', `${p.connector.url}/test-connection`, {});
    expect(tested.body).toMatchObject({ ok: true, licenses: expected });
  });

  it('names at Test Connection a key of the mapping in force that the account does not have (e.g. a license GoTo took back)', async () => {
    await p.env.query(
      `UPDATE mapping_config c SET config = jsonb_set(c.config, '{licenses,byAppRole,${ORGANIZER_ROLE}}', $1::jsonb)
         FROM mapper_job j WHERE j.job_id = c.job_id AND c.version = j.current_version AND j.job_id = $2`,
      [JSON.stringify([WEBINAR, UNKNOWN]), JOB],
    );
    const tested = await sendJson<{ ok: boolean; notes: string[]; licenses: { unknownKeys: unknown[] } }>('POST', `${p.connector.url}/test-connection`, {});
    expect(tested.body.ok).toBe(true);
    expect(tested.body.licenses.unknownKeys).toEqual([{ path: `licenses.byAppRole.${ORGANIZER_ROLE}[1]`, key: UNKNOWN }]);
    expect(tested.body.notes).toContainEqual(expect.stringContaining(`license key ${UNKNOWN}, which the GoTo account does not have`));
    await p.env.query(
      `UPDATE mapping_config c SET config = jsonb_set(c.config, '{licenses,byAppRole,${ORGANIZER_ROLE}}', $1::jsonb)
         FROM mapper_job j WHERE j.job_id = c.job_id AND c.version = j.current_version AND j.job_id = $2`,
      [JSON.stringify([MEETING, WEBINAR]), JOB],
    );
  });

  it('gives a newly assigned user its role’s license, and takes it away when the user is disabled', async () => {
    const id = await p.assignNewUser('lic-ada');
    const account = () => p.goto.users.getByUserName('lic-ada@example.com');
    await waitFor(() => account()?.licenseKeys.includes(MEETING) === true, { what: 'the license on the new account' });
    const patched = await sendJson('PATCH', `${p.watcher.url}/directory/users/${id}`, { accountEnabled: false });
    expect(patched.status).toBe(200);
    await waitFor(() => account()?.active === false && account()!.licenseKeys.length === 0, { what: 'the account disabled without licenses' });
    // The mapper's records reach the log on their own way, possibly after GoTo has the change.
    const computed = await waitFor(async () => {
      const { items } = (await getJson<{ items: Computed[] }>(`${p.audit.url}/provisioning-logs?userId=${id}&service=mapper&step=computed`)).body;
      return items.length >= 2 && items;
    });
    expect(computed.map((i) => [i.action, i.details?.licenseKeys])).toEqual(expect.arrayContaining([['Create', [MEETING]], ['Disable', []]]));
  });

  it('gives a user the licenses of its new role when its role changes, although no attribute changed', async () => {
    const id = await p.assignNewUser('lic-grace');
    const account = () => p.goto.users.getByUserName('lic-grace@example.com');
    await waitFor(() => account()?.licenseKeys.includes(MEETING) === true, { what: 'the license of the first role' });
    const res = await sendJson('POST', `${p.watcher.url}/directory/assignments`, { principalType: 'User', principalId: id, appRoleId: ORGANIZER_ROLE });
    expect(res.status).toBe(204);
    await waitFor(() => [...(account()?.licenseKeys ?? [])].sort().join() === [MEETING, WEBINAR].sort().join(), {
      what: 'the licenses of the new role',
    });
    const [update] = await waitFor(async () => {
      const url = `${p.audit.url}/provisioning-logs?userId=${id}&service=mapper&step=computed&action=Update`;
      const { items } = (await getJson<{ items: Computed[] }>(url)).body;
      return items.length > 0 && items;
    });
    expect(update!.details).toMatchObject({ changed: [], licenseKeys: [MEETING, WEBINAR] });
  });
});
