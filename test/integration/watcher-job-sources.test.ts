import { randomUUID } from 'node:crypto';
import { GotoEmulator } from '@roster/goto-emulator';
import { DEMO_TENANT, GraphEmulator, type ServicePrincipalOptions } from '@roster/graph-emulator';
import { TEST_APP_ROLE, connectorEnv, getJson, startService, waitFor, type RunningService } from '@roster/testing';
import { ConnectorAppModule } from '../../services/connector/src/app.module';
import { AdminStack } from '../support/admin-stack';

const JOB_B = 'tenant-b';
/** Job B's own app registration in the tenant, and two enterprise apps its scope can follow. */
const B_GRAPH_CLIENT = { clientId: randomUUID(), clientSecret: 'tenant-b-graph-secret-91c4' };
const app = (displayName: string): ServicePrincipalOptions & { roleId: string } => {
  const roleId = randomUUID();
  return { id: randomUUID(), appId: randomUUID(), displayName, roleId, appRoles: [{ id: roleId, value: 'User', displayName: 'User' }] };
};
const FIRST_APP = app('GoToMeeting (second account)');
const SECOND_APP = app('GoToMeeting (third account)');
const THIRD_APP = app('GoToMeeting (fourth account)');
const B_GOTO_CLIENT = { clientId: 'tenant-b-goto', clientSecret: 'tenant-b-goto-secret-5a0e' };
/** Two jobs on the same enterprise app, one taking Default Access and nested groups, the other not. */
const WIDE = { id: 'scope-wide', goto: { clientId: 'scope-wide-goto', clientSecret: 'scope-wide-goto-secret-2b7f' } };
const NARROW = { id: 'scope-narrow', goto: { clientId: 'scope-narrow-goto', clientSecret: 'scope-narrow-goto-secret-81ad' } };

/**
 * The watcher reads each job's directory source from the job's record: a job created through the
 * admin API with its own Entra ID settings is read by the watcher already running (which was started
 * for the demo directory's job, with no Entra variable), a change of those settings is followed
 * without a restart, and a deleted job is no longer read.
 */
describe('directory watcher: each job’s source from its record', () => {
  const graph = new GraphEmulator({
    clients: [{ clientId: DEMO_TENANT.clientId, clientSecret: DEMO_TENANT.clientSecret }, B_GRAPH_CLIENT],
    servicePrincipals: [FIRST_APP, SECOND_APP, THIRD_APP],
  });
  const gotoB = new GotoEmulator({ clients: [B_GOTO_CLIENT], rateLimit: 'unthrottled' });
  const gotoWide = new GotoEmulator({ clients: [WIDE.goto], rateLimit: 'unthrottled' });
  const gotoNarrow = new GotoEmulator({ clients: [NARROW.goto], rateLimit: 'unthrottled' });
  const stack = new AdminStack();
  const connectors: RunningService[] = [];
  /** A job's own connector: only the job's record gives it a GoTo connection. */
  const connectorFor = async (jobId: string, goto: GotoEmulator) => {
    const env = connectorEnv(stack.pipeline.env, goto, { ROSTER_SECRET_KEY: stack.secretKey, PROVISIONING_JOB_ID: jobId, RETRY_BASE_DELAY_MS: '50' });
    connectors.push(await startService(ConnectorAppModule.forRoot(Object.fromEntries(Object.entries(env).filter(([name]) => !/^GOTO_(CLIENT|AUTH|SCIM|ADMIN)_/.test(name))))));
  };

  const source = (servicePrincipalId: string) => ({
    kind: 'entra',
    settings: { tenantId: DEMO_TENANT.tenantId, clientId: B_GRAPH_CLIENT.clientId, servicePrincipalId },
  });
  const jobB = (servicePrincipalId: string, clientSecret?: string) => ({
    source: { ...source(servicePrincipalId), settings: { ...source(servicePrincipalId).settings, ...(clientSecret ? { clientSecret } : {}) } },
    goto: { ...gotoB.endpoints, ...B_GOTO_CLIENT, rateLimitPerSecond: 1000 },
  });
  const status = async () => getJson<{ provisioningJobId: string; revision: number; source: string; phase: string }>(`${stack.pipeline.watcher.url}/sync/status?jobId=${JOB_B}`);
  let seq = 0;
  const assigned = (to: { id: string; roleId: string }) => {
    const n = ++seq;
    const user = graph.addUser({ userPrincipalName: `b${n}@example.com`, givenName: 'Tenant', surname: `B${n}`, displayName: `Tenant B${n}`, department: 'Sales' });
    graph.assignAppRole({ principalId: user.id, servicePrincipalId: to.id, appRoleId: to.roleId });
    return `b${n}@example.com`;
  };
  const inB = (userName: string) => gotoB.users.getByUserName(userName);

  beforeAll(async () => {
    await graph.start();
    await Promise.all([gotoB.start(), gotoWide.start(), gotoNarrow.start()]);
    // Graph's address is the installation's; the tenant, app and credentials are each job's.
    const graphUrls = { GRAPH_URL: graph.baseUrl, GRAPH_LOGIN_URL: graph.baseUrl, JOB_POLL_INTERVAL_MS: '60000' };
    await stack.start(graphUrls, graphUrls);
    await connectorFor(JOB_B, gotoB);
    await connectorFor(WIDE.id, gotoWide);
    await connectorFor(NARROW.id, gotoNarrow);
  }, 120_000);
  afterAll(async () => {
    for (const connector of connectors) await connector.app.close();
    await stack.stop();
    await Promise.all([gotoB.stop(), gotoWide.stop(), gotoNarrow.stop()]);
    await graph.stop();
  });

  it('reads a job created through the admin API from its own Entra settings, follows a change of them, and stops with the job', async () => {
    const first = assigned(FIRST_APP);
    const second = assigned(SECOND_APP);
    expect((await status()).status).toBe(404);

    // Job B, made and turned on through the admin API alone: the running watcher reads its tenant.
    expect((await stack.call('POST', '/jobs', { id: JOB_B, ...jobB(FIRST_APP.id, B_GRAPH_CLIENT.clientSecret) })).status).toBe(201);
    await stack.ok('POST', `/jobs/${JOB_B}/start`);
    await waitFor(() => inB(first)?.active === true, { what: `${first} provisioned into job B's GoTo`, timeoutMs: 60_000 });
    expect((await status()).body).toMatchObject({ provisioningJobId: JOB_B, source: 'entra' });
    expect(inB(second)).toBeUndefined();
    expect(stack.pipeline.goto.users.getByUserName(first)).toBeUndefined();
    // It read Graph as job B's application, whose secret it decrypted from the record.
    expect(graph.requestLog().some((r) => r.clientId === B_GRAPH_CLIENT.clientId && r.status === 200)).toBe(true);

    // The admin points job B at another app (the secret left out is kept): its scope follows, no restart.
    await stack.ok('PUT', `/jobs/${JOB_B}`, jobB(SECOND_APP.id));
    await waitFor(() => inB(second)?.active === true && inB(first)?.active === false, {
      what: `${second} provisioned and ${first} disabled after the source changed`,
      timeoutMs: 60_000,
    });

    // Deleted, job B is no longer read: the watcher forgets it and asks Graph nothing more for it.
    await stack.ok('DELETE', `/jobs/${JOB_B}`);
    await waitFor(async () => (await status()).status === 404, { what: 'the watcher to stop serving job B' });
    const asked = graph.requestLog().filter((r) => r.clientId === B_GRAPH_CLIENT.clientId).length;
    // A demo-directory change of the watcher's own job goes all the way to GoTo meanwhile.
    await stack.ok('POST', '/demo-directory/users', { id: 'after-b', userPrincipalName: 'after-b@example.com', attributes: { givenName: 'After', surname: 'B' } });
    await stack.ok('POST', '/demo-directory/assignments', { principalType: 'User', principalId: 'after-b', appRoleId: TEST_APP_ROLE });
    await waitFor(() => stack.pipeline.goto.users.getByUserName('after-b@example.com') !== undefined, { what: 'the demo job to go on' });
    expect(graph.requestLog().filter((r) => r.clientId === B_GRAPH_CLIENT.clientId)).toHaveLength(asked);
  }, 180_000);

  it("takes Default Access and nested groups per job from its record, and follows a change of them without a restart", async () => {
    const scopedJob = (job: typeof WIDE, goto: GotoEmulator, options: Record<string, unknown>) => ({
      source: { ...source(THIRD_APP.id), settings: { ...source(THIRD_APP.id).settings, clientSecret: B_GRAPH_CLIENT.clientSecret, ...options } },
      goto: { ...goto.endpoints, ...job.goto, rateLimitPerSecond: 1000 },
    });
    const on = { includeDefaultAccess: true, nestedGroups: true };
    const direct = assigned(THIRD_APP);
    // Default Access: an assignment without one of the app's roles.
    const viaDefault = graph.addUser({ userPrincipalName: 'default-access@example.com', givenName: 'Default', surname: 'Access', displayName: 'Default Access' });
    graph.assignAppRole({ principalId: viaDefault.id, servicePrincipalId: THIRD_APP.id });
    const viaNested = graph.addUser({ userPrincipalName: 'nested@example.com', givenName: 'Nested', surname: 'Member', displayName: 'Nested Member' });
    const outer = graph.addGroup({ displayName: 'Assigned (outer)' });
    const inner = graph.addGroup({ displayName: 'Nested (inner)' });
    graph.addGroupMember(outer.id, inner.id);
    graph.addGroupMember(inner.id, viaNested.id);
    graph.assignAppRole({ principalId: outer.id, servicePrincipalId: THIRD_APP.id, appRoleId: THIRD_APP.roleId });
    const widened = ['default-access@example.com', 'nested@example.com'];

    // A scope option that is not one is refused with the field it is in.
    const bad = await stack.call('POST', '/jobs', { id: WIDE.id, ...scopedJob(WIDE, gotoWide, { ...on, select: ['mail', '$expand'] }) });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toContain('select');

    expect((await stack.call('POST', '/jobs', { id: WIDE.id, ...scopedJob(WIDE, gotoWide, on) })).status).toBe(201);
    expect((await stack.call('POST', '/jobs', { id: NARROW.id, ...scopedJob(NARROW, gotoNarrow, { includeDefaultAccess: false, nestedGroups: false }) })).status).toBe(201);
    expect((await stack.ok<{ source: { settings: Record<string, unknown> } }>('GET', `/jobs/${WIDE.id}`)).source.settings).toMatchObject(on);
    await stack.ok('POST', `/jobs/${WIDE.id}/start`);
    await stack.ok('POST', `/jobs/${NARROW.id}/start`);
    await waitFor(() => [direct, ...widened].every((u) => gotoWide.users.getByUserName(u)?.active === true), {
      what: 'the direct, Default Access and nested-group users provisioned by the wide job',
      timeoutMs: 60_000,
    });
    await waitFor(() => gotoNarrow.users.getByUserName(direct)?.active === true, { what: 'the direct user provisioned by the narrow job', timeoutMs: 60_000 });
    // The narrow job's cycles never put the others in scope: no event of theirs could reach its GoTo.
    for (const u of widened) expect(gotoNarrow.users.getByUserName(u)).toBeUndefined();

    // The admin turns the options on for the narrow job, and leaves them out of the wide one (the
    // watcher's environment, which says no): each running job re-evaluates its users.
    await stack.ok('PUT', `/jobs/${NARROW.id}`, scopedJob(NARROW, gotoNarrow, on));
    await stack.ok('PUT', `/jobs/${WIDE.id}`, scopedJob(WIDE, gotoWide, {}));
    await waitFor(() => widened.every((u) => gotoNarrow.users.getByUserName(u)?.active === true), {
      what: 'the Default Access and nested-group users provisioned once the narrow job takes them',
      timeoutMs: 60_000,
    });
    await waitFor(() => widened.every((u) => gotoWide.users.getByUserName(u)?.active === false), {
      what: 'the Default Access and nested-group users disabled once the wide job no longer takes them',
      timeoutMs: 60_000,
    });
    expect(gotoWide.users.getByUserName(direct)?.active).toBe(true);
  }, 180_000);
});
