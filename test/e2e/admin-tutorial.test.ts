import type { DryRun, MappingConfig, MappingPreview, ProvisionOnDemandResult, SyncProgress } from '@roster/contracts';
import { DEMO_PRINCIPALS } from '@roster/goto-emulator';
import { SmtpSink, TEST_APP_ROLE, waitFor } from '@roster/testing';
import { AdminStack } from '../support/admin-stack';

const JOB = 'gotomeeting';
const LONG = { timeoutMs: 180_000 };

type Job = { state: string; secretsSet: string[] };
type LogPage = { value: { provisioningAction: string; roster: { service: string; step: string }; provisioningStatusInfo: { status: string } }[] };

/**
 * The seed tutorial as an admin walks it, through the admin API alone, on real PostgreSQL and Redis
 * with the GoTo emulator, the whole pipeline and a real SMTP server: create the job, Test Connection
 * (bad, then good credentials), notification e-mail and a test mail, review the mapping and preview
 * an expression, turn it On and watch the sync finish, read a user's log, pause and resume, restart,
 * provision one user on demand, dry run, held deletions approved and rejected, and a quarantine told
 * in one digest mail.
 */
describe('the seed tutorial through the admin API', () => {
  const stack = new AdminStack();
  let smtp: SmtpSink;
  const goto = () => stack.pipeline.goto;
  const gotoSettings = (clientSecret: string) => ({ ...goto().endpoints, clientId: DEMO_PRINCIPALS.client.clientId, clientSecret });
  const settings = (clientSecret: string) => ({
    source: { kind: 'demo' },
    goto: gotoSettings(clientSecret),
    notification: { enabled: true, emails: ['ops@example.com'], digestMinutes: 1, smtp: { host: '127.0.0.1', port: smtp.port, tls: 'none', from: 'roster@example.com' } },
  });
  const job = () => stack.ok<Job>('GET', `/jobs/${JOB}`);
  const account = (name: string) => goto().users.getByUserName(`${name}@example.com`);

  /** A demo user made through the admin API, in `group` or assigned on its own. */
  const user = async (name: string, group?: string) => {
    const id = `tutorial-${name}`;
    await stack.ok('POST', '/demo-directory/users', { id, userPrincipalName: `${name}@example.com`, attributes: { givenName: 'Tutorial', surname: name, department: 'Research' } });
    if (group) await stack.ok('POST', `/demo-directory/groups/${group}/members`, { userId: id });
    else await stack.ok('POST', '/demo-directory/assignments', { principalType: 'User', principalId: id, appRoleId: TEST_APP_ROLE });
    return id;
  };

  beforeAll(async () => {
    smtp = await SmtpSink.start();
    await stack.start(
      { TEST_CONNECTION_INTERVAL_MS: '0', QUARANTINE_INITIAL_MS: '1000', QUARANTINE_MAX_MS: '4000' },
      { EXPENSIVE_ACTION_LIMIT: '1000', JOB_STATE_CHECK_MS: '200', NOTIFICATION_CHECK_MS: '1000', NOTIFICATION_GATHER_MS: '0' },
    );
  }, 120_000);
  afterAll(async () => {
    await stack.stop();
    await smtp?.close();
  });

  it('walks the tutorial from a new job to a quarantine digest', async () => {
    // Create the job: it starts paused, its credentials are never shown.
    const created = await stack.call<Job>('POST', '/jobs', { id: JOB, ...settings('not-the-secret') });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ state: 'paused', secretsSet: expect.arrayContaining(['goto.clientSecret']) });

    // Test Connection: bad credentials, then good ones.
    type Verdict = { goto: { ok: boolean; reason?: string } };
    expect(await stack.ok<Verdict>('POST', `/jobs/${JOB}/validateCredentials`, {})).toMatchObject({ goto: { ok: false, reason: 'bad-credentials' } });
    await stack.ok('PUT', `/jobs/${JOB}`, settings(DEMO_PRINCIPALS.client.clientSecret));
    expect(await stack.ok<Verdict>('POST', `/jobs/${JOB}/validateCredentials`, {})).toMatchObject({ goto: { ok: true } });

    // Notification e-mail: a test mail reaches the SMTP server.
    expect(await stack.ok('POST', `/jobs/${JOB}/notification/test`)).toMatchObject({ sent: true, recipients: ['ops@example.com'] });
    await waitFor(() => smtp.mails.length === 1, { what: 'the test mail' });
    expect(smtp.mails[0]!.to).toEqual(['ops@example.com']);

    // The directory: two users of their own, and two groups of two for the held deletions.
    const ada = await user('ada');
    await user('grace');
    for (const group of ['approved', 'rejected']) {
      await stack.ok('POST', '/demo-directory/groups', { id: `tutorial-${group}`, displayName: group });
      await user(`${group}-1`, `tutorial-${group}`);
      await user(`${group}-2`, `tutorial-${group}`);
      await stack.ok('POST', '/demo-directory/assignments', { principalType: 'Group', principalId: `tutorial-${group}`, appRoleId: TEST_APP_ROLE });
    }
    const everyone = ['ada', 'grace', 'approved-1', 'approved-2', 'rejected-1', 'rejected-2'];

    // Review the mapping and preview an expression for one user.
    const mapping = await stack.ok<{ version: number; config: MappingConfig }>('GET', `/jobs/${JOB}/mapping`);
    expect(mapping.config.attributeMappings.map((m) => m.target)).toContain('userName');
    const draft = {
      ...mapping.config,
      attributeMappings: [...mapping.config.attributeMappings.filter((m) => m.target !== 'displayName'), { target: 'displayName', type: 'Expression' as const, expression: 'Join(" ", [givenName], Mid([surname], 1, 1))', apply: 'Always' as const }],
    };
    const preview = await stack.ok<MappingPreview>('POST', `/jobs/${JOB}/mapping/preview`, { userId: ada, config: draft });
    expect(preview.targets.find((t) => t.target === 'displayName')).toMatchObject({ value: 'Tutorial a' });
    expect(preview).toMatchObject({ scoping: { inScope: true }, matching: [{ targetAttribute: 'userName', value: 'ada@example.com' }] });
    expect(everyone.some((n) => account(n))).toBe(false);

    // Provisioning Status On: the queued work runs, and the sync progress reaches 100%.
    await stack.ok('POST', `/jobs/${JOB}/start`);
    await waitFor(() => everyone.every((n) => account(n)?.active), { what: 'every account in GoTo', ...LONG });
    const progress = await waitFor(async () => {
      const p = await stack.ok<SyncProgress>('GET', `/jobs/${JOB}/sync-progress`);
      return p.steadyState && p.last?.percentComplete === 100 && p;
    }, { what: 'the sync at 100%', ...LONG });
    expect(progress.last).toMatchObject({ remaining: 0 });

    // A user's log entries: the connector's record reaches the log on its own way, after the account and the progress.
    const executed = await waitFor(async () => {
      const log = await stack.ok<LogPage>('GET', `/auditLogs/provisioning?userId=${ada}`);
      return log.value.find((e) => e.roster.service === 'connector' && e.roster.step === 'executed');
    }, { what: `the connector's log entry for ${ada}`, ...LONG });
    expect(executed).toMatchObject({ provisioningAction: 'create', provisioningStatusInfo: { status: 'success' } });

    // Pause: nothing is read or sent while the job is off; turned on, what changed meanwhile is.
    expect(await stack.ok<Job>('POST', `/jobs/${JOB}/pause`)).toMatchObject({ state: 'paused' });
    await user('paused');
    expect(account('paused')).toBeUndefined();
    await stack.ok('POST', `/jobs/${JOB}/start`);
    await waitFor(() => account('paused'), { what: 'the account after resuming', ...LONG });

    // Restart: a fresh initial cycle, back to steady.
    expect(await stack.ok<Job>('POST', `/jobs/${JOB}/restart`, {})).toMatchObject({ state: 'initial-sync' });
    await waitFor(async () => (await job()).state === 'steady', { what: 'steady after the restart', ...LONG });

    // Provision on demand a user the directory has but no cycle announced yet (written past the change feed).
    await stack.pipeline.env.query(`INSERT INTO demo_user (id, user_principal_name, account_enabled, attributes) VALUES ('tutorial-ondemand', 'ondemand@example.com', true, '{"givenName":"On","surname":"Demand"}')`);
    await stack.pipeline.env.query(`INSERT INTO demo_assignment (principal_type, principal_id, app_role_id) VALUES ('User', 'tutorial-ondemand', $1)`, [TEST_APP_ROLE]);
    const sent = await stack.ok<ProvisionOnDemandResult>('POST', `/jobs/${JOB}/provisionOnDemand`, { userId: 'tutorial-ondemand' });
    const onDemand = sent.complete
      ? sent
      : await waitFor(async () => {
          const again = await stack.ok<ProvisionOnDemandResult>('GET', `/jobs/${JOB}/provisionOnDemand?changeId=${encodeURIComponent(sent.changeId!)}`);
          return again.complete && again;
        }, { what: 'the on-demand outcome', ...LONG });
    expect([onDemand.outcome, onDemand.actions]).toEqual(['success', [expect.objectContaining({ command: 'user.create', status: 'success' })]]);
    expect(onDemand.steps.map((s) => s.provisioningStepType)).toEqual(['import', 'scoping', 'matching', 'processing', 'export']);
    expect(account('ondemand')).toBeDefined();

    // Dry run: a surname changed past the change feed is one update, and nothing is sent.
    await stack.pipeline.env.query(`UPDATE demo_user SET attributes = attributes || '{"surname":"Hopper"}' WHERE id = 'tutorial-grace'`);
    const started = await stack.ok<DryRun>('POST', `/jobs/${JOB}/dryRun`);
    const dryRun = await waitFor(async () => {
      const run = await stack.ok<DryRun>('GET', `/jobs/${JOB}/dryRun/${started.id}`);
      return run.status !== 'running' && run;
    }, { what: 'the dry run', ...LONG });
    expect(dryRun).toMatchObject({ status: 'completed', counts: { 'user.update': 1 } });
    expect(account('grace')!.attributes).toMatchObject({ name: { familyName: 'grace' } });

    // Held deletions: with a threshold of 1, a group's two users leaving are held; approved, then rejected.
    await stack.ok('PUT', `/jobs/${JOB}/mapping`, { ...mapping.config, deletionThreshold: 1 });
    type Held = { approvalRequired: boolean; items: { userId: string; commandType: string }[] };
    const disablesHeld = (held: Held) => held.items.filter((i) => i.commandType === 'user.disable').map((i) => i.userId).sort();
    const holds = async (group: string) => {
      await stack.ok('DELETE', `/demo-directory/assignments/groups/tutorial-${group}`);
      return waitFor(async () => {
        const held = await stack.ok<Held>('GET', `/jobs/${JOB}/held-deletions`);
        return held.approvalRequired && disablesHeld(held).length === 2 && held;
      }, { what: `the ${group} group's deletions held`, ...LONG });
    };
    // Each disable is held with the removal from the GoTo group that goes with it.
    expect(disablesHeld(await holds('approved'))).toEqual(['tutorial-approved-1', 'tutorial-approved-2']);
    await stack.ok('POST', `/jobs/${JOB}/held-deletions/approve`);
    await waitFor(() => account('approved-1')?.active === false && account('approved-2')?.active === false, { what: 'the approved disables', ...LONG });
    await holds('rejected');
    await stack.ok('POST', `/jobs/${JOB}/held-deletions/reject`);
    expect((await stack.ok<Held>('GET', `/jobs/${JOB}/held-deletions`)).approvalRequired).toBe(false);
    expect(account('rejected-1')?.active && account('rejected-2')?.active).toBe(true);

    // GoTo refuses the credentials: the job is quarantined and the admin gets one digest saying so.
    goto().faults.failNext(1, { kind: 'status', status: 401 }, { method: 'POST', pathPrefix: '/identity/v1/Users' });
    goto().faults.failNext(1, { kind: 'status', status: 401, body: { error: 'invalid_client' } }, { pathPrefix: '/oauth/' });
    await user('quarantine');
    const digest = await waitFor(() => smtp.mails.find((m) => /quarantine/i.test(m.subject)), { what: 'the quarantine digest', ...LONG });
    expect(digest.to).toEqual(['ops@example.com']);
    expect(digest.text).toMatch(/Quarantine: entered 1 time/);
    await waitFor(() => account('quarantine'), { what: 'the account once the probe succeeded', ...LONG });
    expect(smtp.mails.filter((m) => /entered/.test(m.text) && /Quarantine/.test(m.text))).toHaveLength(1);
  }, 900_000);
});
