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
const B_GOTO_CLIENT = { clientId: 'tenant-b-goto', clientSecret: 'tenant-b-goto-secret-5a0e' };

/**
 * The watcher reads each job's directory source from the job's record: a job created through the
 * admin API with its own Entra ID settings is read by the watcher already running (which was started
 * for the demo directory's job, with no Entra variable), a change of those settings is followed
 * without a restart, and a deleted job is no longer read.
 */
describe('directory watcher: each job’s source from its record', () => {
  const graph = new GraphEmulator({
    clients: [{ clientId: DEMO_TENANT.clientId, clientSecret: DEMO_TENANT.clientSecret }, B_GRAPH_CLIENT],
    servicePrincipals: [FIRST_APP, SECOND_APP],
  });
  const gotoB = new GotoEmulator({ clients: [B_GOTO_CLIENT], rateLimit: 'unthrottled' });
  const stack = new AdminStack();
  let connectorB: RunningService;

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
    await gotoB.start();
    // Graph's address is the installation's; the tenant, app and credentials are each job's.
    const graphUrls = { GRAPH_URL: graph.baseUrl, GRAPH_LOGIN_URL: graph.baseUrl, JOB_POLL_INTERVAL_MS: '60000' };
    await stack.start(graphUrls, graphUrls);
    // Job B's connector: only B's record gives it a GoTo connection.
    const env = connectorEnv(stack.pipeline.env, gotoB, { ROSTER_SECRET_KEY: stack.secretKey, PROVISIONING_JOB_ID: JOB_B, RETRY_BASE_DELAY_MS: '50' });
    connectorB = await startService(ConnectorAppModule.forRoot(Object.fromEntries(Object.entries(env).filter(([name]) => !/^GOTO_(CLIENT|AUTH|SCIM|ADMIN)_/.test(name)))));
  }, 120_000);
  afterAll(async () => {
    await connectorB?.app.close();
    await stack.stop();
    await gotoB.stop();
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
});
