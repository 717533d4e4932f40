import { createServer } from 'node:net';
import { ClientRedis } from '@nestjs/microservices';
import { firstValueFrom } from 'rxjs';
import { connectorRpcPattern, connectorTestConnectionReplySchema, type ConnectorTestConnectionReply } from '@roster/contracts';
import { DEMO_PRINCIPALS, GotoEmulator } from '@roster/goto-emulator';
import { redisOptionsFromUrl } from '@roster/platform';
import { TEST_REDIS_URL, TestEnvironment, connectorEnv, sendJson, startService, type RunningService } from '@roster/testing';
import { ConnectorAppModule } from '../../services/connector/src/app.module';

const { admin, member } = DEMO_PRINCIPALS;
const password = (userId: string, pw: string) => ({ GOTO_CLIENT_SECRET: '', GOTO_ADMIN_USERNAME: userId, GOTO_ADMIN_PASSWORD: pw });

describe('connector: Test Connection over HTTP and RPC', () => {
  const goto = new GotoEmulator({ clients: [DEMO_PRINCIPALS.client], adminUsers: [admin, member], rateLimit: 'unthrottled' });
  const rpc = new ClientRedis({ ...redisOptionsFromUrl(TEST_REDIS_URL), maxRetriesPerRequest: undefined });
  const started: { env: TestEnvironment; service: RunningService }[] = [];

  /** A connector with its own schema and queue prefix (so its RPC pattern is its own). */
  async function connector(overrides: Record<string, string>) {
    const env = new TestEnvironment();
    const service = await startService(ConnectorAppModule.forRoot(connectorEnv(env, goto, overrides)));
    started.push({ env, service });
    return { env, service };
  }

  async function verdicts(overrides: Record<string, string>): Promise<ConnectorTestConnectionReply[]> {
    const { env, service } = await connector(overrides);
    const http = await sendJson<ConnectorTestConnectionReply>('POST', `${service.url}/test-connection`);
    expect(http.status).toBe(200);
    const overRpc = await firstValueFrom(rpc.send<ConnectorTestConnectionReply>(connectorRpcPattern(env.queuePrefix, 'test-connection'), {}));
    return [http.body, overRpc].map((reply) => connectorTestConnectionReplySchema.parse(reply));
  }

  beforeAll(async () => {
    await goto.start();
    await rpc.connect();
  });
  afterAll(async () => {
    await rpc.close();
    for (const { env, service } of started) {
      await service.app.close();
      await env.dispose();
    }
    await goto.stop();
  });

  it('answers OK with the account name for OAuth client credentials', async () => {
    for (const reply of await verdicts({})) {
      expect(reply).toMatchObject({ ok: true, accountName: 'Example Organisation', target: 'gotomeeting', provisioningJobId: 'gotomeeting' });
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

  it('names an account without admin rights', async () => {
    for (const reply of await verdicts(password(member.userId, member.password))) expect(reply).toMatchObject({ ok: false, reason: 'not-admin' });
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
