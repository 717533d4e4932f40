import type { MappingConfigInput, TargetProfile } from '@roster/contracts';
import { DEFAULT_GOTOMEETING_MAPPING } from '@roster/mapping';
import { getJson, sendJson, waitFor } from '@roster/testing';
import { Pipeline, findLog } from '../support/pipeline';

const JOB = 'gotomeeting';
const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
const WORK_EMAIL = 'emails[type eq "work"].value';

interface Refusal {
  message: string;
  problems: { path: string; message: string }[];
}

const withTarget = (target: string, source: string): MappingConfigInput => ({
  ...DEFAULT_GOTOMEETING_MAPPING,
  attributeMappings: [...DEFAULT_GOTOMEETING_MAPPING.attributeMappings, { target, type: 'Direct', source, apply: 'Always' }],
});

/** The profile the connector stored for the job once it has read GoTo's schema at start (the licenses may be stored first). */
async function storedProfile(p: Pipeline, { published = true } = {}): Promise<TargetProfile> {
  return waitFor(
    async () => {
      if (!published && !p.goto.requestLog.entries({ pathPrefix: '/identity/v1/Schemas' }).some((e) => e.status === 404)) return undefined;
      const [row] = await p.env.query<{ profile: TargetProfile }>(`SELECT profile FROM connector_target_profile WHERE provisioning_job_id = $1`, [JOB]);
      return row && (row.profile.userAttributes !== null) === published && row.profile;
    },
    { what: 'the schema in the target profile' },
  );
}

async function saveMapping(p: Pipeline, config: MappingConfigInput) {
  return sendJson<Refusal & { version: number }>('PUT', `${p.mapper.url}/jobs/${JOB}/mapping`, config);
}

async function mappingInForce(p: Pipeline, version: number): Promise<void> {
  await waitFor(async () => {
    const s = (await getJson<{ currentVersion: number; rescopeInProgress: boolean }>(`${p.mapper.url}/jobs/${JOB}`)).body;
    return s.currentVersion === version && !s.rescopeInProgress;
  }, { what: `mapping v${version} in force` });
}

describe('GoTo as documented (strict emulator: no title, no e-mails)', () => {
  const p = new Pipeline();
  beforeAll(() => p.start());
  afterAll(() => p.stop());

  it('provisions a user with a jobTitle and a mail with the default mapping', async () => {
    const id = await p.assignNewUser('hopper', { jobTitle: 'Rear Admiral', department: 'Navy' });
    const account = await waitFor(() => p.goto.users.getByUserName('hopper@example.com'), { what: 'the GoTo account' });
    expect(account.attributes).toMatchObject({ externalId: id, [ENTERPRISE]: { department: 'Navy' } });
    expect(account.attributes).not.toHaveProperty('title');
    expect(account.attributes).not.toHaveProperty('emails');
    const executed = await waitFor(async () => findLog(await p.logsOf(id), 'connector', 'Create', 'executed'), { what: 'the Create in the log' });
    expect(executed.status).toBe('success');
    expect(await p.env.query(`SELECT 1 FROM connector_dead_letter`)).toEqual([]);
  });

  it("stores GoTo's schema, read at start from /Schemas and /ResourceTypes, as the target profile", async () => {
    const profile = await storedProfile(p);
    expect(profile.provisioningJobId).toBe(JOB);
    expect(profile.userAttributes!.map((a) => a.path)).toEqual([
      'userName',
      'externalId',
      'active',
      'displayName',
      'name.givenName',
      'name.familyName',
      'locale',
      'timezone',
      `${ENTERPRISE}:department`,
      `${ENTERPRISE}:employeeNumber`,
      `${ENTERPRISE}:costCenter`,
      `${ENTERPRISE}:division`,
    ]);
  });

  it('refuses saving or validating a mapping to an attribute GoTo does not accept, naming it', async () => {
    await storedProfile(p);
    const before = (await getJson<{ version: number }>(`${p.mapper.url}/jobs/${JOB}/mapping`)).body.version;
    for (const [target, source] of [
      ['title', 'jobTitle'],
      [WORK_EMAIL, 'mail'],
    ] as const) {
      const config = withTarget(target, source);
      const at = `attributeMappings[${config.attributeMappings.length - 1}] (${target})`;
      const validated = await sendJson<Refusal>('POST', `${p.mapper.url}/jobs/${JOB}/mapping/validate`, config);
      const saved = await saveMapping(p, config);
      for (const res of [validated, saved]) {
        expect(res.status).toBe(400);
        expect(res.body.problems).toEqual([
          { path: at, message: expect.stringMatching(new RegExp(`^the target does not accept attribute "${target.replace(/[[\].]/g, '\\$&')}"; its schema lists: userName`)) },
        ]);
      }
    }
    expect((await getJson<{ version: number }>(`${p.mapper.url}/jobs/${JOB}/mapping`)).body.version).toBe(before);
  });
});

describe('a GoTo whose schema lists a title and e-mails', () => {
  const p = new Pipeline({ undocumentedUserAttributes: ['title', 'emails'] });
  beforeAll(() => p.start());
  afterAll(() => p.stop());

  it('accepts mapping them once the connector has read the schema, and provisions them', async () => {
    const profile = await storedProfile(p);
    expect(profile.userAttributes!.map((a) => a.path)).toEqual(expect.arrayContaining(['title', WORK_EMAIL, 'emails[type eq "home"].value']));
    const config = withTarget('title', 'jobTitle');
    config.attributeMappings.push({ target: WORK_EMAIL, type: 'Direct', source: 'mail' });
    const saved = await saveMapping(p, config);
    expect(saved.status).toBe(200);
    await mappingInForce(p, saved.body.version);

    await p.assignNewUser('murray', { jobTitle: 'Rear Admiral' });
    const account = await waitFor(() => p.goto.users.getByUserName('murray@example.com'), { what: 'the GoTo account' });
    expect(account.attributes).toMatchObject({ title: 'Rear Admiral', emails: [{ type: 'work', value: 'murray@example.com', primary: true }] });
  });

  it('changes and removes the work address alone, keeping the others, and removes an emptied attribute', async () => {
    const home = { type: 'home', value: 'home@example.com' };
    p.goto.seedUsers([{ userName: 'byron@example.com', name: { givenName: 'Ada', familyName: 'Byron' }, emails: [{ type: 'work', value: 'old@example.com' }, home] }]);
    const id = await p.assignNewUser('byron', { jobTitle: 'Countess' });
    const account = () => p.goto.users.getByUserName('byron@example.com')!;
    // Adopted: the work address is the directory's, the home address stays.
    await waitFor(() => account().externalId === id, { what: 'the account adopted' });
    expect(account().attributes['emails']).toEqual([{ type: 'work', value: 'byron@example.com' }, home]);

    await sendJson('PATCH', `${p.watcher.url}/directory/users/${id}`, { attributes: { mail: 'ada@example.com' } });
    await waitFor(() => JSON.stringify(account().attributes['emails']).includes('ada@example.com'), { what: 'the new work address' });
    expect(account().attributes['emails']).toEqual([{ type: 'work', value: 'ada@example.com' }, home]);

    await sendJson('PATCH', `${p.watcher.url}/directory/users/${id}`, { attributes: { mail: '', jobTitle: '' } });
    await waitFor(() => account().attributes['title'] === undefined, { what: 'the title removed' });
    expect(account().attributes['emails']).toEqual([home]);
    const update = await waitFor(async () => (await p.logsOf(id)).find((e) => e.service === 'connector' && e.step === 'executed' && e.action === 'Update' && e.after?.['title'] === ''), {
      what: 'the update in the log',
    });
    expect(update.status).toBe('success');
  });
});

describe('a GoTo that publishes no /Schemas', () => {
  const p = new Pipeline({ schemaDiscovery: false });
  beforeAll(() => p.start());
  afterAll(() => p.stop());

  it("stores that it has none, and checks mappings against GoTo's documented attributes", async () => {
    expect((await storedProfile(p, { published: false })).userAttributes).toBeNull();
    const refused = await saveMapping(p, withTarget('title', 'jobTitle'));
    expect(refused.status).toBe(400);
    expect(refused.body.problems[0]!.message).toMatch(/does not accept attribute "title"; it publishes no schema, and GoTo documents: userName/);
    const accepted = await saveMapping(p, withTarget('locale', 'preferredLanguage'));
    expect(accepted.status).toBe(200);
  });
});
