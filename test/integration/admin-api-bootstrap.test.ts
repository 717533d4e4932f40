import { SecretBox } from '@roster/platform';
import { TestEnvironment, startService, type RunningService } from '@roster/testing';
import { ADMIN_API_APP_OPTIONS, AdminApiAppModule } from '../../services/admin-api/src/app.module';
import { createApiKey } from '../../tools/admin/create-key';

describe('admin API start-up: first key, default job from the environment, failed-authentication limit', () => {
  const env = new TestEnvironment();
  const secretKey = SecretBox.generateKey();
  const defaultJobEnv = {
    ROSTER_SECRET_KEY: secretKey,
    GOTO_CLIENT_ID: 'env-client',
    GOTO_CLIENT_SECRET: 'env-secret-one-9d2f',
    GOTO_SCIM_URL: 'http://127.0.0.1:4100/identity/v1',
    NOTIFICATION_EMAILS: 'ops@example.com',
    AUTH_FAILURE_LIMIT: '3',
  };
  let api: RunningService | undefined;
  const start = async (overrides: Record<string, string>) => {
    await api?.app.close();
    api = await startService(AdminApiAppModule.forRoot(env.env({ ...defaultJobEnv, ...overrides })), ADMIN_API_APP_OPTIONS);
    return api;
  };
  const get = async (service: RunningService, path: string, key: string) => {
    const res = await fetch(`${service.url}${path}`, { headers: { authorization: `Bearer ${key}` } });
    return { status: res.status, headers: res.headers, body: (await res.json()) as Record<string, unknown> };
  };

  afterAll(async () => {
    await api?.app.close();
    await env.dispose();
  });

  it('creates the default job from the environment, and updates it at the next start', async () => {
    let service = await start({});
    const { key } = await createApiKey(env.env(defaultJobEnv), { name: 'bootstrap', role: 'admin' });
    expect((await get(service, '/auth/me', key)).body).toMatchObject({ name: 'bootstrap', role: 'admin' });

    const first = await get(service, '/jobs/gotomeeting', key);
    // On, unlike a job made through the API: the environment's job ran before jobs were records, and still does.
    expect(first.body).toMatchObject({
      state: 'initial-sync',
      source: { kind: 'demo' },
      goto: { clientId: 'env-client', scimUrl: 'http://127.0.0.1:4100/identity/v1' },
      notification: { enabled: true, emails: ['ops@example.com'] },
      secretsSet: ['goto.clientSecret'],
      revision: 1,
    });

    // The same environment again (the key tool starts the module too) changes nothing.
    service = await start({});
    expect((await get(service, '/jobs/gotomeeting', key)).body).toMatchObject({ revision: 1 });

    service = await start({ GOTO_CLIENT_SECRET: 'env-secret-two-51aa', GOTO_SCIM_URL: 'http://127.0.0.1:4200/identity/v1' });
    expect((await get(service, '/jobs/gotomeeting', key)).body).toMatchObject({ goto: { scimUrl: 'http://127.0.0.1:4200/identity/v1' }, revision: 2 });
    const [row] = await env.query<{ secrets: Record<string, string> }>(`SELECT secrets FROM provisioning_job WHERE id = 'gotomeeting'`);
    expect(JSON.stringify(row)).not.toMatch(/env-secret/);
    expect(new SecretBox(secretKey).decrypt(row!.secrets['goto.clientSecret']!)).toBe('env-secret-two-51aa');
  });

  it('refuses an address after AUTH_FAILURE_LIMIT wrong credentials, even with a good one, saying when to retry', async () => {
    const service = await start({});
    const { key } = await createApiKey(env.env(defaultJobEnv), { name: 'limited', role: 'reader' });
    const wrong = `${key.slice(0, -3)}xyz`;
    for (let i = 0; i < 3; i++) expect((await get(service, '/jobs', wrong)).status).toBe(401);
    const refused = await get(service, '/jobs', key);
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(refused.body.message).toMatch(/too many failed authentications/);
    // The probes stay open to the orchestrator whatever the address did.
    expect((await fetch(`${service.url}/health/live`)).status).toBe(200);
  });
});
