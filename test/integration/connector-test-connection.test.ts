import { createServer } from 'node:net';
import { firstValueFrom } from 'rxjs';
import {
  connectorRpcPattern,
  connectorTestConnectionReplySchema,
  connectorTestConnectionThrottledSchema,
  type ConnectorTestConnectionReply,
} from '@roster/contracts';
import { DEMO_PRINCIPALS, GotoEmulator, type GotoEmulatorOptions } from '@roster/goto-emulator';
import { ReconnectingClientRedis } from '@roster/platform';
import { INTERNAL_CALLER, TEST_REDIS_URL, TestEnvironment, connectorEnv, getJson, sendJson, startService, waitFor, type RunningService } from '@roster/testing';
import { ConnectorAppModule } from '../../services/connector/src/app.module';
import { CircuitBreaker } from '../../services/connector/src/quarantine/circuit-breaker';

const { admin, member, reader } = DEMO_PRINCIPALS;
const password = (userId: string, pw: string) => ({ GOTO_CLIENT_SECRET: '', GOTO_ADMIN_USERNAME: userId, GOTO_ADMIN_PASSWORD: pw });

describe('connector: Test Connection over HTTP and RPC', () => {
  const options: GotoEmulatorOptions = { clients: [DEMO_PRINCIPALS.client], adminUsers: [admin, member, reader], rateLimit: 'unthrottled' };
  const goto = new GotoEmulator(options);
  const scimOnly = new GotoEmulator({ ...options, adminApi: false });
  const rpc = new ReconnectingClientRedis(TEST_REDIS_URL);
  const started: { env: TestEnvironment; service: RunningService }[] = [];

  /** A connector with its own schema and queue prefix (so its RPC pattern is its own). */
  async function connector(overrides: Record<string, string>, target = goto) {
    const env = new TestEnvironment();
    const service = await startService(ConnectorAppModule.forRoot(connectorEnv(env, target, overrides)));
    started.push({ env, service });
    return { env, service };
  }

  /** The verdict over HTTP and over RPC, from a connector without the Test Connection interval. */
  async function verdicts(overrides: Record<string, string>, target = goto): Promise<ConnectorTestConnectionReply[]> {
    const { env, service } = await connector({ TEST_CONNECTION_INTERVAL_MS: '0', ...overrides }, target);
    const http = await sendJson<ConnectorTestConnectionReply>('POST', `${service.url}/test-connection`);
    expect(http.status).toBe(200);
    const overRpc = await firstValueFrom(rpc.send<ConnectorTestConnectionReply>(connectorRpcPattern(env.queuePrefix, 'test-connection'), {}));
    return [http.body, overRpc].map((reply) => connectorTestConnectionReplySchema.parse(reply));
  }

  beforeAll(async () => {
    await Promise.all([goto.start(), scimOnly.start()]);
    await rpc.connect();
  });
  afterEach(async () => {
    for (const { env, service } of started.splice(0)) {
      await service.app.close();
      await env.dispose();
    }
  });
  afterAll(async () => {
    await rpc.close();
    await Promise.all([goto.stop(), scimOnly.stop()]);
  });

  it('answers OK with the account name for OAuth client credentials', async () => {
    for (const reply of await verdicts({})) {
      expect(reply).toMatchObject({
        ok: true,
        accountName: 'Example Organisation',
        notes: [],
        quarantine: null,
        target: 'gotomeeting',
        provisioningJobId: 'gotomeeting',
      });
    }
  });

  it("answers OK for the Team Admin's user name and password (direct login on the configured host)", async () => {
    for (const reply of await verdicts(password(admin.userId, admin.password))) expect(reply).toMatchObject({ ok: true, accountName: 'Example Organisation' });
  });

  it('names a wrong password', async () => {
    for (const reply of await verdicts(password(admin.userId, 'not-the-password'))) {
      expect(reply).toMatchObject({ ok: false, reason: 'bad-credentials' });
      expect(JSON.stringify(reply)).not.toContain('not-the-password');
    }
  });

  it('names an account without admin rights, also one that may read users', async () => {
    for (const reply of await verdicts(password(member.userId, member.password))) expect(reply).toMatchObject({ ok: false, reason: 'not-admin' });
    for (const reply of await verdicts(password(reader.userId, reader.password))) expect(reply).toMatchObject({ ok: false, reason: 'not-admin' });
    expect(goto.users.size).toBe(0);
  });

  it('answers OK against a GoTo that serves SCIM and OAuth only, without the account name', async () => {
    for (const reply of await verdicts({}, scimOnly)) {
      expect(reply).toMatchObject({ ok: true, accountName: null, notes: [expect.stringMatching(/Admin REST API/)] });
    }
  });

  it("reads GoTo's schema again into the job's target profile and lists what a mapping may write", async () => {
    const { env, service } = await connector({ TEST_CONNECTION_INTERVAL_MS: '0' });
    const stored = async () => (await env.query<{ profile: { userAttributes: { path: string }[] | null } }>(`SELECT profile FROM connector_target_profile`))[0]?.profile;
    await waitFor(async () => (await stored())?.userAttributes, { what: 'the schema read at start' });
    await env.query(`UPDATE connector_target_profile SET profile = jsonb_set(profile, '{userAttributes}', '[]')`);

    const reply = connectorTestConnectionReplySchema.parse((await sendJson('POST', `${service.url}/test-connection`)).body);
    const paths = ['userName', 'externalId', 'active', 'displayName', 'name.givenName', 'name.familyName', 'locale', 'timezone'];
    expect(reply).toMatchObject({ ok: true, notes: [], schema: { published: true, userAttributes: expect.arrayContaining(paths) } });
    expect(reply.schema!.userAttributes).not.toContain('title');
    expect((await stored())!.userAttributes!.map((a) => a.path)).toEqual(expect.arrayContaining(paths));
  });

  it('says so when GoTo publishes no /Schemas, and stores that', async () => {
    const bare = new GotoEmulator({ ...options, schemaDiscovery: false });
    await bare.start();
    try {
      const { env, service } = await connector({ TEST_CONNECTION_INTERVAL_MS: '0' }, bare);
      const reply = connectorTestConnectionReplySchema.parse((await sendJson('POST', `${service.url}/test-connection`)).body);
      expect(reply).toMatchObject({ ok: true, schema: { published: false, userAttributes: null }, notes: [expect.stringMatching(/publishes no \/Schemas/)] });
      const [row] = await env.query<{ profile: { userAttributes: unknown } }>(`SELECT profile FROM connector_target_profile`);
      expect(row!.profile.userAttributes).toBeNull();
    } finally {
      await bare.stop();
    }
  });

  it('runs at most once per interval per job: 429 with Retry-After and the last reply, over HTTP and RPC', async () => {
    const { env, service } = await connector({ TEST_CONNECTION_INTERVAL_MS: '600000' });
    const first = await sendJson<ConnectorTestConnectionReply>('POST', `${service.url}/test-connection`);
    expect(first.body).toMatchObject({ ok: true });
    const since = goto.requestLog.size;
    const again = await fetch(`${service.url}/test-connection`, { method: 'POST', headers: INTERNAL_CALLER });
    expect(again.status).toBe(429);
    expect(Number(again.headers.get('retry-after'))).toBeGreaterThan(500);
    expect(connectorTestConnectionThrottledSchema.parse(await again.json())).toMatchObject({ retryAfterSeconds: expect.any(Number), last: first.body });
    const overRpc = await firstValueFrom(rpc.send(connectorRpcPattern(env.queuePrefix, 'test-connection'), {})).catch((error: unknown) => error);
    expect(connectorTestConnectionThrottledSchema.parse(overRpc)).toMatchObject({ error: 'test-connection-throttled', last: first.body });
    expect(goto.requestLog.size).toBe(since);
  });

  describe('the quarantine probe', () => {
    const status = async (url: string) => (await getJson<{ state: string; quarantine: { kind: string; reason: string } | null }>(`${url}/status`)).body;
    const probing = { QUARANTINE_INITIAL_MS: '100', QUARANTINE_MAX_MS: '200' };

    it('ends a quarantine against a GoTo that serves SCIM and OAuth only', async () => {
      const { service } = await connector(probing, scimOnly);
      await service.app.get(CircuitBreaker).tripFatal('a test put the job in quarantine');
      expect((await status(service.url)).state).toBe('quarantined');
      await waitFor(async () => (await status(service.url)).state === 'running', { what: 'the probe to end the quarantine' });
    });

    it('makes a quarantine fatal when the principal may read users but not manage them', async () => {
      const { service } = await connector({ ...probing, QUARANTINE_FAILURE_THRESHOLD: '1', ...password(reader.userId, reader.password) });
      await service.app.get(CircuitBreaker).recordFailure('a test failure', { kind: 'transient' });
      expect((await status(service.url)).quarantine).toMatchObject({ kind: 'failures' });
      const fatal = await waitFor(async () => {
        const { quarantine } = await status(service.url);
        return quarantine !== null && /not-admin/.test(quarantine.reason) ? quarantine : false;
      }, { what: 'a probe saying not-admin' });
      expect(fatal.kind).toBe('fatal');
    });
  });

  it('refuses a malformed request body', async () => {
    const { service } = await connector({ TEST_CONNECTION_INTERVAL_MS: '0' });
    const reply = await sendJson<{ message: string }>('POST', `${service.url}/test-connection`, { resume: 'yes' });
    expect(reply.status).toBe(400);
  });

  it('names an unreachable GoTo', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const nowhere = `http://127.0.0.1:${(closed.address() as { port: number }).port}`;
    await new Promise((resolve) => closed.close(resolve));
    const replies = await verdicts({ GOTO_AUTH_URL: nowhere, GOTO_SCIM_URL: `${nowhere}/identity/v1`, GOTO_ADMIN_URL: `${nowhere}/admin/rest/v1` });
    for (const reply of replies) expect(reply).toMatchObject({ ok: false, reason: 'unreachable', detail: expect.stringMatching(/ECONNREFUSED/) });
  });
});
