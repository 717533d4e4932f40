import { DEFAULT_GOTOMEETING_MAPPING } from '@roster/mapping';
import { TestEnvironment, getJson, startService, waitFor } from '@roster/testing';
import { MapperAppModule } from '../../services/mapper/src/app.module';

const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
/** The default mapping Roster stored for a job never configured, before it sent documented attributes only. */
const OLD_DEFAULT = {
  ...DEFAULT_GOTOMEETING_MAPPING,
  attributeMappings: [
    ...DEFAULT_GOTOMEETING_MAPPING.attributeMappings.filter((m) => !m.target.startsWith(ENTERPRISE)),
    { target: 'emails[type eq "work"].value', type: 'Direct', source: 'mail', apply: 'Always' },
    { target: 'title', type: 'Direct', source: 'jobTitle', apply: 'Always' },
    ...DEFAULT_GOTOMEETING_MAPPING.attributeMappings.filter((m) => m.target.startsWith(ENTERPRISE)),
  ],
};

describe('upgrading a job still on the old default mapping', () => {
  const env = new TestEnvironment();
  afterAll(() => env.dispose());

  it('gives it the default of documented attributes as a new version and re-evaluates its users; configured jobs stay', async () => {
    const first = await startService(MapperAppModule.forRoot(env.env()));
    await first.app.close();
    // As an installation from before the change: two jobs on the old default, one configured by an admin.
    const custom = { ...OLD_DEFAULT, deletionThreshold: 50 };
    for (const [job, config] of [['legacy', OLD_DEFAULT], ['custom', custom]] as const) {
      await env.query(`INSERT INTO mapping_config (job_id, version, config) VALUES ($1, 1, $2)`, [job, JSON.stringify(config)]);
      await env.query(`INSERT INTO mapper_job (job_id, current_version, rescoped_version) VALUES ($1, 1, 1)`, [job]);
    }
    await env.query(`DELETE FROM mapper_migrations WHERE name = 'DefaultMappingDocumentedAttributes1764300001400'`);

    const mapper = await startService(MapperAppModule.forRoot(env.env()));
    try {
      const legacy = (await getJson<{ version: number; config: unknown }>(`${mapper.url}/jobs/legacy/mapping`)).body;
      expect(legacy).toMatchObject({ version: 2, config: { attributeMappings: DEFAULT_GOTOMEETING_MAPPING.attributeMappings } });
      await waitFor(async () => (await env.query<{ v: number }>(`SELECT rescoped_version AS v FROM mapper_job WHERE job_id = 'legacy'`))[0]!.v === 2, {
        what: 'the re-evaluation of the upgraded job',
      });
      expect((await getJson<{ version: number; config: unknown }>(`${mapper.url}/jobs/custom/mapping`)).body).toMatchObject({
        version: 1,
        config: { deletionThreshold: 50, attributeMappings: expect.arrayContaining([expect.objectContaining({ target: 'title' })]) },
      });
    } finally {
      await mapper.app.close();
    }
  });
});
