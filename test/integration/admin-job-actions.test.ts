import type { DryRun, DryRunDecision, MappingConfig, MappingPreview, ProvisionOnDemandResult } from '@roster/contracts';
import { DEMO_PRINCIPALS } from '@roster/goto-emulator';
import { TEST_APP_ROLE, waitFor } from '@roster/testing';
import { AdminStack } from '../support/admin-stack';

const JOB = 'gotomeeting';

/** The job actions of the admin API, each reaching the pipeline service that does the work over its internal route. */
describe('admin API: job actions', () => {
  const stack = new AdminStack();
  const gotoSettings = (clientSecret: string) => ({ ...stack.pipeline.goto.endpoints, clientId: DEMO_PRINCIPALS.client.clientId, clientSecret });
  beforeAll(async () => {
    await stack.start({ TEST_CONNECTION_INTERVAL_MS: '0' }, { EXPENSIVE_ACTION_LIMIT: '1000', JOB_STATE_CHECK_MS: '200' });
    await stack.ok('POST', '/jobs', { id: JOB, source: { kind: 'demo' }, goto: gotoSettings(DEMO_PRINCIPALS.client.clientSecret) });
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

    it('previews the mapping in force and a draft for one directory user, each target value or its error with the position', async () => {
      type Preview = MappingPreview;
      const userId = await stack.pipeline.assignNewUser('preview', { department: 'Research' });
      const inForce = await stack.call<Preview>('POST', `/jobs/${JOB}/mapping/preview`, { userId }, stack.readerKey);
      expect(inForce.status).toBe(200);
      expect(inForce.body).toMatchObject({ userId, assigned: true, scoping: { inScope: true }, matchingError: null });
      expect(inForce.body.targets.find((t) => t.target === 'userName')?.value).toBe('preview@example.com');

      const { config } = await stack.ok<{ config: MappingConfig }>('GET', `/jobs/${JOB}/mapping`);
      // A draft that maps displayName by an expression instead of the mapping in force.
      const draft = (expression: string) => ({
        ...config,
        attributeMappings: [...config.attributeMappings.filter((m) => m.target !== 'displayName'), { target: 'displayName', type: 'Expression', expression }],
      });
      const joined = await stack.ok<Preview>('POST', `/jobs/${JOB}/mapping/preview`, { userId, config: draft('Join(" / ", [department], Redact([surname]))') });
      expect(joined.configVersion).toBeNull();
      expect(joined.targets.find((t) => t.target === 'displayName')).toMatchObject({ value: '[Redact]', redacted: true });
      const failing = await stack.ok<Preview>('POST', `/jobs/${JOB}/mapping/preview`, { userId, config: draft('DateFromNum([department])') });
      expect(failing.targets.find((t) => t.target === 'displayName')?.error).toMatchObject({ code: expect.any(String), line: 1, column: expect.any(Number) });
      expect(failing.targets.find((t) => t.target === 'userName')?.value).toBe('preview@example.com');

      expect((await stack.call('POST', `/jobs/${JOB}/mapping/preview`, { userId: 'nobody' })).status).toBe(404);
      const unparsable = await stack.call<{ problems: unknown[] }>('POST', `/jobs/${JOB}/mapping/preview`, { userId, config: draft('Join(" ", [givenName]') });
      expect([unparsable.status, unparsable.body.problems.length]).toEqual([400, expect.any(Number)]);
    });

    it('answers 404 for a job the installation does not have, before asking the mapper', async () => {
      expect((await stack.call('GET', '/jobs/no-such-job/mapping')).status).toBe(404);
    });

    it('shows a job that never ran the default mapping it will start with (version 0)', async () => {
      await stack.ok('POST', '/jobs', { id: 'fresh', source: { kind: 'demo' }, goto: { clientId: 'c' } });
      expect(await stack.ok('GET', '/jobs/fresh/mapping')).toMatchObject({ version: 0, config: { attributeMappings: expect.any(Array) } });
    });
  });

  describe('validateCredentials (Test Connection)', () => {
    type Reply = { source: { kind: string; ok: boolean }; goto: { ok: boolean; reason?: string; accountName?: string | null } };
    const replace = (clientSecret: string) => stack.ok('PUT', `/jobs/${JOB}`, { source: { kind: 'demo' }, goto: gotoSettings(clientSecret) });

    it('checks the source and GoTo with the saved credentials: bad, then good', async () => {
      await replace('not-the-secret');
      const bad = await stack.ok<Reply>('POST', `/jobs/${JOB}/validateCredentials`, {});
      expect(bad).toMatchObject({ source: { kind: 'demo', ok: true }, goto: { ok: false, reason: 'bad-credentials' } });
      await replace(DEMO_PRINCIPALS.client.clientSecret);
      const good = await stack.ok<Reply>('POST', `/jobs/${JOB}/validateCredentials`);
      expect(good).toMatchObject({ source: { ok: true }, goto: { ok: true, provisioningJobId: JOB } });
    });

    it('is an action: a reader gets 403, and an unknown field a 400 naming it', async () => {
      expect((await stack.call('POST', `/jobs/${JOB}/validateCredentials`, {}, stack.readerKey)).status).toBe(403);
      const bad = await stack.call<{ issues: { path: string }[] }>('POST', `/jobs/${JOB}/validateCredentials`, { resume: true, colour: 'red' });
      expect(bad.status).toBe(400);
      expect(JSON.stringify(bad.body)).toContain('colour');
    });

    it('says which job the connector runs when asked about another', async () => {
      await stack.ok('POST', '/jobs', { id: 'elsewhere', source: { kind: 'demo' }, goto: gotoSettings('x') });
      const other = await stack.call<{ message: string }>('POST', '/jobs/elsewhere/validateCredentials', {});
      expect(other.status).toBe(409);
      expect(other.body.message).toContain(`runs job ${JOB}`);
    });
  });

  describe('dead letters, held deletions and reconciliation', () => {
    it('lists the job’s dead letters and refuses a re-drive without a filter', async () => {
      expect(await stack.ok('GET', `/jobs/${JOB}/dead-letters?limit=10`)).toEqual({ items: [], nextCursor: null });
      expect((await stack.call('GET', `/jobs/${JOB}/dead-letters/12345`, undefined, stack.readerKey)).status).toBe(404);
      expect((await stack.call('GET', `/jobs/${JOB}/dead-letters?status=gone`)).status).toBe(400);
      expect((await stack.call('POST', `/jobs/${JOB}/dead-letters/redrive`, {})).status).toBe(400);
      expect((await stack.call('POST', `/jobs/${JOB}/dead-letters/redrive`, { all: true }, stack.readerKey)).status).toBe(403);
      expect(await stack.ok('POST', `/jobs/${JOB}/dead-letters/redrive`, { all: true })).toEqual({ redriven: 0, items: [] });
    });

    it('shows no held deletions for a job without any, and approving or rejecting nothing does nothing', async () => {
      expect(await stack.ok('GET', `/jobs/${JOB}/held-deletions`)).toEqual({ approvalRequired: false, reason: null, items: [] });
      expect(await stack.ok('POST', `/jobs/${JOB}/held-deletions/approve`)).toEqual({ released: 0 });
      expect(await stack.ok('POST', `/jobs/${JOB}/held-deletions/reject`)).toEqual({ rejected: 0 });
    });

    it('runs a reconciliation on demand and reports it', async () => {
      const run = await stack.call<{ id: string; status: string; dryRun: boolean }>('POST', `/jobs/${JOB}/reconciliation`, { dryRun: true });
      expect(run.status).toBe(202);
      expect(run.body).toMatchObject({ dryRun: true, status: 'running' });
      const done = await waitFor(
        async () => {
          const body = await stack.ok<{ status: string; counts: unknown }>('GET', `/jobs/${JOB}/reconciliation/${run.body.id}`);
          return body.status !== 'running' && body;
        },
        { what: 'the reconciliation run to finish' },
      );
      expect(done).toMatchObject({ status: 'completed', counts: expect.objectContaining({ listed: expect.any(Number) }) });
      expect((await stack.call('GET', '/jobs/elsewhere/reconciliation/' + run.body.id)).status).toBe(404);
    });
  });

  describe('job state: start, pause, restart', () => {
    type Job = { state: string; stateDetail?: { reason: string | null; by: string; since: string }; revision: number };
    const job = () => stack.ok<Job>('GET', `/jobs/${JOB}`);
    const stateLog = async () => (await stack.pipeline.logs(`provisioningJobId=${JOB}&service=admin-api`)).map((e) => e.reason ?? '');

    it('turns the job on (initial-sync until the first full cycle completed, then steady) and off, logging each change', async () => {
      expect((await job()).state).toBe('paused');
      const started = await stack.ok<Job>('POST', `/jobs/${JOB}/start`);
      expect(['initial-sync', 'steady']).toContain(started.state);
      await waitFor(async () => (await job()).state === 'steady', { what: 'the job to be steady' });
      expect(await stack.ok<Job>('POST', `/jobs/${JOB}/start`)).toMatchObject({ state: 'steady' });

      const paused = await stack.ok<Job>('POST', `/jobs/${JOB}/pause`);
      expect(paused).toMatchObject({ state: 'paused', stateDetail: { reason: 'paused by api-key test admin', by: 'api-key test admin' } });
      await waitFor(async () => (await stateLog()).some((r) => r.startsWith('job state steady → paused')), { what: 'the pause in the log' });
      expect(await stateLog()).toEqual(expect.arrayContaining([expect.stringMatching(/^job state paused → (initial-sync|steady)/)]));
    });

    it('restarts: a fresh initial cycle restating every user, turned on, logged with who asked', async () => {
      const restarted = await stack.ok<Job>('POST', `/jobs/${JOB}/restart`, { resetQuarantine: true });
      expect(restarted).toMatchObject({ state: 'initial-sync', stateDetail: { reason: expect.stringContaining('quarantine reset') } });
      await waitFor(async () => (await job()).state === 'steady', { what: 'the restarted job to be steady' });
      const log = await stack.pipeline.logs(`provisioningJobId=${JOB}&service=admin-api`);
      expect(log.find((e) => e.reason?.startsWith('job state paused → initial-sync'))).toMatchObject({ step: 'executed', details: { activity: 'Enable/restart provisioning configuration' } });
      expect((await stack.call('POST', `/jobs/${JOB}/restart`, { heldDeletions: 'forget' })).status).toBe(400);
    });

    it('is an admin’s: a reader gets 403 on every state action', async () => {
      for (const action of ['start', 'pause', 'restart']) expect((await stack.call('POST', `/jobs/${JOB}/${action}`, {}, stack.readerKey)).status).toBe(403);
    });
  });

  describe('provisionOnDemand', () => {
    type Result = ProvisionOnDemandResult;

    it('sends one user through the pipeline now and answers each step with its outcome, logged under the change', async () => {
      await stack.ok('POST', `/jobs/${JOB}/start`);
      // Written past the demo directory's change feed, as a user Entra has not announced yet: only on demand sends it before the next full cycle.
      const userId = 'ondemand-user';
      await stack.pipeline.env.query(`INSERT INTO demo_user (id, user_principal_name, account_enabled, attributes) VALUES ($1, 'ondemand@example.com', true, '{"givenName":"On","surname":"Demand"}')`, [userId]);
      await stack.pipeline.env.query(`INSERT INTO demo_assignment (principal_type, principal_id, app_role_id) VALUES ('User', $1, $2)`, [userId, TEST_APP_ROLE]);
      const sent = await stack.ok<Result>('POST', `/jobs/${JOB}/provisionOnDemand`, { userId });
      const result = sent.complete ? sent : await waitFor(async () => {
        const again = await stack.ok<Result>('GET', `/jobs/${JOB}/provisionOnDemand?changeId=${encodeURIComponent(sent.changeId!)}`);
        return again.complete && again;
      }, { what: 'the on-demand outcome', timeoutMs: 120_000 });
      expect(result).toMatchObject({ userId, complete: true, outcome: 'success', actions: [{ command: 'user.create', step: 'executed', status: 'success' }] });
      expect(stack.pipeline.goto.users.getByUserName('ondemand@example.com')).toBeDefined();
      expect(result.steps.map((s) => [s.provisioningStepType, s.status])).toEqual([
        ['import', 'success'],
        ['scoping', 'success'],
        ['matching', 'success'],
        ['processing', 'success'],
        ['export', 'success'],
      ]);
      const log = await stack.pipeline.logs(`correlationId=${encodeURIComponent(result.changeId!)}`);
      expect(log.map((e) => e.service).sort()).toEqual(expect.arrayContaining(['connector', 'directory-watcher', 'mapper']));
      expect(log.find((e) => e.service === 'directory-watcher')).toMatchObject({ reason: 'provision on demand: user.assigned', details: { onDemand: true, requestedBy: 'api-key test admin' } });
      expect(result.logIds.length).toBe(log.length);
    });

    it('answers at once for a user out of scope, 404 for one the directory does not have, 403 to a reader', async () => {
      const created = await stack.call('POST', '/demo-directory/users', { id: 'ondemand-unassigned', userPrincipalName: 'unassigned@example.com', attributes: {} });
      expect(created.status).toBe(201);
      const result = await stack.ok<Result>('POST', `/jobs/${JOB}/provisionOnDemand`, { userId: 'ondemand-unassigned' });
      expect(result).toMatchObject({ changeId: null, complete: true, outcome: 'skipped', actions: [] });
      expect(result.steps.map((s) => s.provisioningStepType)).toEqual(['import', 'scoping']);
      expect((await stack.call('POST', `/jobs/${JOB}/provisionOnDemand`, { userId: 'nobody-here' })).status).toBe(404);
      expect((await stack.call('POST', `/jobs/${JOB}/provisionOnDemand`, { userId: 'x' }, stack.readerKey)).status).toBe(403);
      expect((await stack.call('GET', `/jobs/${JOB}/provisionOnDemand?changeId=${JOB}%2F0`, undefined, stack.readerKey)).status).toBe(404);
    });
  });

  describe('dry run', () => {
    it('counts and lists what a full cycle would send against what Roster sent, sending nothing to GoTo', async () => {
      await stack.ok('POST', `/jobs/${JOB}/start`);
      const changed = await stack.pipeline.assignNewUser('dryrun-changed');
      const removed = await stack.pipeline.assignNewUser('dryrun-removed');
      await waitFor(() => ['dryrun-changed', 'dryrun-removed'].every((n) => stack.pipeline.goto.users.getByUserName(`${n}@example.com`)), { what: 'the accounts in GoTo', timeoutMs: 120_000 });
      await stack.pipeline.quiet();
      // Past the change feed, so only a full read sees them: a new user, a changed one and one gone.
      const db = stack.pipeline.env;
      await db.query(`INSERT INTO demo_user (id, user_principal_name, account_enabled, attributes) VALUES ('dryrun-new', 'dryrun-new@example.com', true, '{}')`);
      await db.query(`INSERT INTO demo_assignment (principal_type, principal_id, app_role_id) VALUES ('User', 'dryrun-new', $1)`, [TEST_APP_ROLE]);
      await db.query(`UPDATE demo_user SET attributes = attributes || '{"surname":"Renamed"}' WHERE id = $1`, [changed]);
      await db.query(`DELETE FROM demo_assignment WHERE principal_id = $1`, [removed]);
      const accounts = stack.pipeline.goto.users.size;

      const started = await stack.call<DryRun>('POST', `/jobs/${JOB}/dryRun`);
      expect([started.status, started.body.status]).toEqual([202, 'running']);
      const run = await waitFor(async () => {
        const r = await stack.ok<DryRun>('GET', `/jobs/${JOB}/dryRun/${started.body.id}`);
        return r.status !== 'running' && r;
      }, { what: 'the dry run to finish', timeoutMs: 120_000 });
      expect(run).toMatchObject({ status: 'completed', error: null, wouldHoldDeletions: false });
      expect(run.counts).toMatchObject({ 'user.create': 1, 'user.update': 1, 'user.disable': 1 });
      expect(run.usersRead).toBeGreaterThanOrEqual(3);

      type Page = { items: DryRunDecision[]; next: string | null };
      const all = await stack.call<Page>('GET', `/jobs/${JOB}/dryRun/${run.id}/items`, undefined, stack.readerKey);
      expect(all.status).toBe(200);
      expect(all.body.items.map((i) => [i.userId, i.commands])).toEqual(
        expect.arrayContaining([
          ['dryrun-new', ['user.create']],
          [changed, ['user.update']],
          [removed, ['user.disable']],
        ]),
      );
      expect(all.body.items.find((i) => i.userId === changed)?.changed).toEqual(['name.familyName']);
      const creates = await stack.ok<Page>('GET', `/jobs/${JOB}/dryRun/${run.id}/items?command=user.create`);
      expect(creates.items.map((i) => i.userId)).toEqual(['dryrun-new']);
      const first = await stack.ok<Page>('GET', `/jobs/${JOB}/dryRun/${run.id}/items?limit=1`);
      const second = await stack.ok<Page>('GET', `/jobs/${JOB}/dryRun/${run.id}/items?limit=1&after=${encodeURIComponent(first.next!)}`);
      expect(second.items[0]!.userId > first.items[0]!.userId).toBe(true);

      // Nothing was sent: no account made, none changed.
      expect(stack.pipeline.goto.users.size).toBe(accounts);
      expect(stack.pipeline.goto.users.getByUserName('dryrun-new@example.com')).toBeUndefined();
      expect((await stack.call('POST', `/jobs/${JOB}/dryRun`, undefined, stack.readerKey)).status).toBe(403);
      expect((await stack.call('GET', `/jobs/${JOB}/dryRun/00000000-0000-4000-8000-000000000000`)).status).toBe(404);
    });
  });
});
