import { TestEnvironment, servedRoutes, startService, type RunningService } from '@roster/testing';
import { AuditAppModule } from '../../services/audit/src/app.module';
import { Pipeline } from '../support/pipeline';

/** What a pipeline service serves to anyone: probes and metrics. Every other route is the admin API's to call. */
const OPEN_ROUTES = ['GET /health/live', 'GET /health/ready', 'GET /metrics'];

/**
 * The pipeline services take no admin action from outside: each route they serve, read from the
 * application itself (so a route added later is checked too), is a probe or metrics, or refuses a
 * caller without the installation's internal credential, whatever it sends (a browser form included).
 */
describe('pipeline services: internal routes', () => {
  const p = new Pipeline();
  beforeAll(() => p.start(), 60_000);
  afterAll(() => p.stop());

  const call = (service: RunningService, method: string, path: string, headers: Record<string, string> = {}) =>
    fetch(`${service.url}${path.replace(/:\w+/g, 'x1')}`, {
      method,
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
      body: method === 'GET' || method === 'HEAD' ? undefined : 'userPrincipalName=evil%40example.com&principalId=x1',
    });

  it.each(['watcher', 'mapper', 'connector', 'audit'] as const)('the %s serves probes and metrics openly and refuses every other route without the credential', async (name) => {
    const service = p[name];
    const routes = servedRoutes(service);
    const guarded = routes.filter((r) => !OPEN_ROUTES.includes(`${r.method} ${r.path}`));
    expect(guarded.length).toBeGreaterThan(0);
    for (const { method, path } of routes) {
      const route = `${method} ${path}`;
      if (OPEN_ROUTES.includes(route)) {
        expect([route, (await call(service, method, path)).status]).toEqual([route, 200]);
        continue;
      }
      const missing = await call(service, method, path);
      expect([route, missing.status]).toEqual([route, 401]);
      expect(((await missing.json()) as { message: string }).message).toContain('internal');
      expect([route, (await call(service, method, path, { authorization: 'Bearer not-the-internal-token-but-long-enough-to-pass' })).status]).toEqual([route, 401]);
      expect([route, (await call(service, method, path, { cookie: 'authorization=whatever' })).status]).toEqual([route, 401]);
    }
  });

  it('refuses every internal call when the service has no internal credential configured', async () => {
    const env = new TestEnvironment();
    const audit = await startService(AuditAppModule.forRoot(env.env({ ROSTER_INTERNAL_TOKEN: '' })));
    try {
      const res = await fetch(`${audit.url}/provisioning-logs`, { headers: { authorization: 'Bearer anything-at-all-anything-at-all-anything' } });
      expect(res.status).toBe(401);
      expect(((await res.json()) as { message: string }).message).toMatch(/ROSTER_INTERNAL_TOKEN is not set/);
      expect((await fetch(`${audit.url}/health/ready`)).status).toBe(200);
    } finally {
      await audit.app.close();
      await env.dispose();
    }
  });
});
