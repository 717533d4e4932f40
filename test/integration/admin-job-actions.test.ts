import { DEMO_PRINCIPALS } from '@roster/goto-emulator';
import { AdminStack } from '../support/admin-stack';

const JOB = 'gotomeeting';

/** The job actions of the admin API, each reaching the pipeline service that does the work over its internal route. */
describe('admin API: job actions', () => {
  const stack = new AdminStack();
  beforeAll(async () => {
    await stack.start();
    const { endpoints } = stack.pipeline.goto;
    await stack.ok('POST', '/jobs', {
      id: JOB,
      source: { kind: 'demo' },
      goto: { ...endpoints, clientId: DEMO_PRINCIPALS.client.clientId, clientSecret: DEMO_PRINCIPALS.client.clientSecret },
    });
  }, 90_000);
  afterAll(() => stack.stop());

  describe('mapping', () => {
    it('reads, validates and saves the mapping through the mapper, naming every problem of a bad one', async () => {
      const current = await stack.call<{ version: number; config: { attributeMappings: { target: string }[] }; sourceAttributes: string[] }>('GET', `/jobs/${JOB}/mapping`, undefined, stack.readerKey);
      expect(current.status).toBe(200);
      expect(current.body.config.attributeMappings.map((m) => m.target)).toContain('userName');
      expect(current.body.sourceAttributes).toContain('userPrincipalName');

      const bad = { ...current.body.config, attributeMappings: [...current.body.config.attributeMappings, { target: 'title', type: 'Expression', expression: 'Join(" ", [givenName]' }] };
      const refused = await stack.call<{ problems: { path: string; message: string }[] }>('POST', `/jobs/${JOB}/mapping/validate`, bad);
      expect(refused.status).toBe(400);
      expect(refused.body.problems.map((p) => p.path)).toEqual(expect.arrayContaining([expect.stringMatching(/^attributeMappings\[\d+\]/)]));
      expect((await stack.call('PUT', `/jobs/${JOB}/mapping`, bad)).status).toBe(400);

      const changed = { ...current.body.config, deletionThreshold: 3 };
      expect(await stack.ok('POST', `/jobs/${JOB}/mapping/validate`, changed)).toMatchObject({ valid: true });
      const saved = await stack.ok<{ version: number }>('PUT', `/jobs/${JOB}/mapping`, changed);
      expect(saved.version).toBeGreaterThan(current.body.version);
      expect((await stack.ok<{ config: { deletionThreshold: number } }>('GET', `/jobs/${JOB}/mapping`)).config.deletionThreshold).toBe(3);
    });

    it('answers 404 for a job the installation does not have, before asking the mapper', async () => {
      expect((await stack.call('GET', '/jobs/no-such-job/mapping')).status).toBe(404);
    });

    it('shows a job that never ran the default mapping it will start with (version 0)', async () => {
      await stack.ok('POST', '/jobs', { id: 'fresh', source: { kind: 'demo' }, goto: { clientId: 'c' } });
      expect(await stack.ok('GET', '/jobs/fresh/mapping')).toMatchObject({ version: 0, config: { attributeMappings: expect.any(Array) } });
    });
  });
});
