import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import IORedis from 'ioredis';
import type { JobChangeMessage } from '@roster/contracts';
import { SecretBox, jobChangesChannel } from '@roster/platform';
import { MIDDLEWARE_PATH, TestEnvironment, servedRoutes, waitFor, type RunningService } from '@roster/testing';
import { startAdminApi, type RunningAdminApi } from '../support/admin-api';

/** A key's secret part: everything after `rk_<id>_`, since base64url secrets may hold `_` themselves. */
const keySecret = (key: string): string => key.slice(key.indexOf('_', 3) + 1);

/** Every JSON log line the service writes, to search for secrets. */
const logLines: string[] = [];

interface MountedLayer {
  route?: unknown;
  rawPath?: string;
}

/**
 * Prefixes where something is mounted beside Nest's routes (Bull Board's router and the middleware
 * in front of it), which Nest's guard never sees: the middleware applied to every path is left out.
 */
function mountedPrefixes(service: RunningService): string[] {
  const express = service.app.getHttpAdapter().getInstance() as { router: { stack: MountedLayer[] } };
  const prefixes = express.router.stack.flatMap((layer) => (!layer.route && layer.rawPath && !['/', MIDDLEWARE_PATH].includes(layer.rawPath) ? [layer.rawPath] : []));
  return [...new Set(prefixes)];
}

/** Reader-level routes; every other route needs admin. A route moved to reader must be added here on purpose. */
const READER_ROUTES = [
  'GET /jobs',
  'GET /jobs/:id',
  'GET /jobs/:id/mapping',
  'POST /jobs/:id/mapping/preview',
  'GET /jobs/:id/held-deletions',
  'GET /jobs/:id/dead-letters',
  'GET /jobs/:id/dead-letters/:letterId',
  'GET /jobs/:id/reconciliation/:runId',
  'GET /demo-directory/users',
  'GET /demo-directory/users/:userId',
  'GET /demo-directory/groups',
  'GET /demo-directory/assignments',
  'GET /auth/me',
  'GET /docs',
  'GET /metrics',
  'GET /auditLogs/provisioning',
  'GET /auditLogs/provisioning/export',
  'GET /auditLogs/provisioning/:id',
  'GET /jobs/:id/sync-progress',
  'GET /jobs/:id/sync-progress/events',
  'GET /jobs/:id/provisionOnDemand',
  'GET /jobs/:id/dryRun/:runId',
  'GET /jobs/:id/dryRun/:runId/items',
];
/** Routes that answer without a credential: the probes, the console's static files, and how the console may sign in. */
const PUBLIC_ROUTES = ['GET /health/live', 'GET /health/ready', 'GET /console', 'GET /console/*path', 'GET /auth/sign-in-options'];

const SECRET = 'S3cret-goto-client-secret-7f1c2a';
const GRAPH_SECRET = 'Gr4ph-secret-0b9e44d1';

describe('admin API', () => {
  const env = new TestEnvironment();
  const secretKey = SecretBox.generateKey();
  let api: RunningAdminApi;
  let admin: string;
  let reader: string;
  /** A console build of two files, which the admin API serves at /console. */
  const consoleDir = mkdtempSync(join(tmpdir(), 'roster-console-'));
  mkdirSync(join(consoleDir, 'assets'));
  writeFileSync(join(consoleDir, 'index.html'), '<!doctype html><title>console</title>');
  writeFileSync(join(consoleDir, 'assets', 'app-1a2b.js'), 'export {};');

  const call = async (method: string, path: string, init: { key?: string; body?: string; type?: string; headers?: Record<string, string> } = {}) => {
    const headers: Record<string, string> = { ...init.headers };
    if (init.key) headers.authorization = `Bearer ${init.key}`;
    if (init.body !== undefined) headers['content-type'] = init.type ?? 'application/json';
    const res = await fetch(`${api.url}${path}`, { method, headers, body: init.body });
    const text = await res.text();
    let body: unknown = text;
    try {
      body = JSON.parse(text);
    } catch {
      /* not JSON (metrics) */
    }
    return { status: res.status, body: body as Record<string, unknown>, text, headers: res.headers.get('www-authenticate') };
  };

  beforeAll(async () => {
    api = await startAdminApi(
      env.env({ ROSTER_SECRET_KEY: secretKey, LOG_LEVEL: 'trace', AUTH_FAILURE_LIMIT: '100000', HTTP_BODY_LIMIT_BYTES: '4096', AUDIT_URL: 'http://127.0.0.1:9', CONSOLE_DIR: consoleDir }),
      { logs: logLines },
    );
    ({ adminKey: admin, readerKey: reader } = api);
  });
  afterAll(async () => {
    await api?.app.close();
    await env.dispose();
    rmSync(consoleDir, { recursive: true, force: true });
  });

  describe('every route is guarded', () => {
    it('refuses a missing credential, a wrong key and, on admin routes, the reader role', async () => {
      const routes = servedRoutes(api);
      expect(routes.length).toBeGreaterThanOrEqual(12);
      const forged = `${admin.slice(0, -4)}AAAA`;
      for (const { method, path } of routes) {
        const name = `${method} ${path}`;
        const url = path.replace(/:\w+/g, 'gotomeeting');
        const body = method === 'GET' || method === 'DELETE' ? undefined : '{}';
        if (PUBLIC_ROUTES.includes(name)) {
          expect([name, (await call(method, url)).status]).toEqual([name, 200]);
          continue;
        }
        const missing = await call(method, url, { body });
        expect([name, missing.status, missing.headers]).toEqual([name, 401, 'Bearer realm="roster-admin"']);
        expect([name, (await call(method, url, { body, key: forged })).status]).toEqual([name, 401]);
        expect([name, (await call(method, url, { body, key: 'eyJhbGciOiJSUzI1NiJ9.e30.c2ln' })).status]).toEqual([name, 401]);
        const asReader = (await call(method, url, { body, key: reader })).status;
        if (READER_ROUTES.includes(name)) expect([name, asReader]).not.toEqual([name, 403]);
        else expect([name, asReader]).toEqual([name, 403]);
      }
      expect(routes.map((r) => `${r.method} ${r.path}`)).toEqual(expect.arrayContaining([...READER_ROUTES, ...PUBLIC_ROUTES]));
    });

    it('guards what is mounted beside the routes (the queue dashboard) for the admin role alone', async () => {
      const prefixes = mountedPrefixes(api);
      expect(prefixes).toEqual(['/queues']);
      for (const prefix of prefixes) {
        for (const path of [prefix, `${prefix}/api/queues`, `${prefix}/static/anything.js`]) {
          for (const method of ['GET', 'PUT', 'POST', 'DELETE']) {
            const name = `${method} ${path}`;
            const missing = await call(method, path);
            expect([name, missing.status, missing.headers]).toEqual([name, 401, 'Bearer realm="roster-admin"']);
            expect([name, (await call(method, path, { key: `${admin.slice(0, -4)}AAAA` })).status]).toEqual([name, 401]);
            expect([name, (await call(method, path, { key: reader })).status]).toEqual([name, 403]);
          }
        }
      }
    });

    it('serves the console without a credential: its files, its page for every path of the app, nothing outside its folder', async () => {
      const page = await fetch(`${api.url}/console/jobs/gotomeeting/logs`);
      expect([page.status, page.headers.get('cache-control'), await page.text()]).toEqual([200, 'no-cache', '<!doctype html><title>console</title>']);
      expect(page.headers.get('content-security-policy')).toContain("connect-src 'self'");
      const asset = await fetch(`${api.url}/console/assets/app-1a2b.js`);
      expect([asset.status, asset.headers.get('cache-control'), asset.headers.get('content-type')]).toEqual([200, 'public, max-age=31536000, immutable', expect.stringContaining('javascript')]);
      for (const missing of ['/console/assets/gone-9f9f.js', '/console/%2e%2e/%2e%2e/package.json', '/console/..%2f..%2fpackage.json', '/console/assets/..%5c..%5cpackage.json']) {
        expect([missing, (await fetch(`${api.url}${missing}`)).status]).toEqual([missing, 404]);
      }
    });

    it('never takes a credential from a cookie', async () => {
      expect((await call('GET', '/jobs', { headers: { cookie: `authorization=Bearer ${admin}; token=${admin}` } })).status).toBe(401);
    });

    it('documents every served route in the OpenAPI document at /docs', async () => {
      const doc = await call('GET', '/docs', { key: reader });
      expect(doc.status).toBe(200);
      const paths = doc.body.paths as Record<string, Record<string, { security: unknown[] }>>;
      for (const { method, path } of servedRoutes(api)) {
        expect([method, path, paths[path.replace(/:(\w+)/g, '{$1}')]?.[method.toLowerCase()] !== undefined]).toEqual([method, path, true]);
      }
      expect(paths['/health/live']!.get!.security).toEqual([]);
      expect(JSON.stringify(paths['/jobs']!.post)).toContain('"clientSecret"');
    });
  });

  describe('API keys', () => {
    it('shows a key once, stores only its hash, records its last use and refuses it once revoked', async () => {
      const created = await call('POST', '/api-keys', { key: admin, body: JSON.stringify({ name: 'ci', role: 'reader' }) });
      expect(created.status).toBe(201);
      const { id, key } = created.body as { id: string; key: string };
      expect(key).toMatch(/^rk_/);
      const [row] = await env.query<Record<string, unknown>>('SELECT * FROM admin_api_key WHERE id = $1', [id]);
      expect(JSON.stringify(row)).not.toContain(keySecret(key));
      expect(row!.last_used_at).toBeNull();

      const me = await call('GET', '/auth/me', { key });
      expect(me.body).toEqual({ kind: 'api-key', id, name: 'ci', role: 'reader' });
      const listed = (await call('GET', '/api-keys', { key: admin })).body as unknown as { id: string; lastUsedAt: string | null }[];
      expect(listed.find((k) => k.id === id)?.lastUsedAt).not.toBeNull();
      expect(JSON.stringify(listed)).not.toContain(key);

      expect((await call('DELETE', `/api-keys/${id}`, { key: admin })).status).toBe(204);
      expect((await call('GET', '/auth/me', { key })).status).toBe(401);
      expect((await call('DELETE', `/api-keys/${id}`, { key: admin })).status).toBe(404);
    });
  });

  describe('provisioning jobs', () => {
    const job = {
      id: 'tenant-a',
      source: { kind: 'entra', settings: { tenantId: 't', clientId: 'c', clientSecret: GRAPH_SECRET, servicePrincipalId: 'sp' } },
      goto: { clientId: 'goto-client', clientSecret: SECRET, scimUrl: 'http://127.0.0.1:4100/scim' },
      notification: { enabled: true, emails: ['ops@example.com'] },
    };

    it('stores credentials encrypted and never answers or logs them', async () => {
      const created = await call('POST', '/jobs', { key: admin, body: JSON.stringify(job) });
      expect(created.status).toBe(201);
      expect(created.body).toMatchObject({ id: 'tenant-a', state: 'paused', secretsSet: ['goto.clientSecret', 'source.settings.clientSecret'] });
      expect((await call('POST', '/jobs', { key: admin, body: JSON.stringify(job) })).status).toBe(409);

      // A replace without the credentials keeps them; null removes one.
      const { id: _id, ...settings } = job;
      const replaced = await call('PUT', '/jobs/tenant-a', {
        key: admin,
        body: JSON.stringify({ ...settings, goto: { clientId: 'goto-client', adminPassword: null }, schedule: { intervalMinutes: 20 } }),
      });
      expect(replaced.status).toBe(200);
      expect(replaced.body).toMatchObject({ revision: 2, schedule: { intervalMinutes: 20 }, secretsSet: ['goto.clientSecret', 'source.settings.clientSecret'] });
      // A bad write that carries a secret does not echo it either.
      const bad = await call('PUT', '/jobs/tenant-a', { key: admin, body: JSON.stringify({ ...settings, goto: { clientSecret: SECRET, clientId: 5 } }) });
      expect(bad.status).toBe(400);
      const malformed = await call('POST', '/jobs', { key: admin, body: `{"goto": {"clientSecret": "${SECRET}"` });
      expect(malformed.status).toBe(400);

      const answers = [created, replaced, bad, malformed, await call('GET', '/jobs', { key: reader }), await call('GET', '/jobs/tenant-a', { key: admin })];
      for (const answer of answers) expect(answer.text).not.toMatch(new RegExp(`${SECRET}|${GRAPH_SECRET}`));
      const [row] = await env.query<Record<string, unknown>>('SELECT * FROM provisioning_job WHERE id = $1', ['tenant-a']);
      expect(JSON.stringify(row)).not.toMatch(new RegExp(`${SECRET}|${GRAPH_SECRET}`));
      const stored = row!.secrets as Record<string, string>;
      expect(new SecretBox(secretKey).decrypt(stored['goto.clientSecret']!)).toBe(SECRET);
      expect(logLines.length).toBeGreaterThan(0);
      expect(logLines.join('')).toContain('provisioning job updated');
      expect(logLines.join('')).not.toMatch(new RegExp(`${SECRET}|${GRAPH_SECRET}`));
      // Nor does a key presented in the Authorization header reach the request log.
      expect(logLines.join('')).toContain('"authorization":"[Redacted]"');
      expect(logLines.join('')).not.toContain(keySecret(admin));
    });

    it('lets a reader read jobs but not change them', async () => {
      expect((await call('GET', '/jobs/tenant-a', { key: reader })).status).toBe(200);
      expect((await call('DELETE', '/jobs/tenant-a', { key: reader })).status).toBe(403);
      expect((await call('DELETE', '/jobs/tenant-a', { key: admin })).status).toBe(204);
      expect((await call('GET', '/jobs/tenant-a', { key: reader })).status).toBe(404);
    });

    it('announces every change of a job on the job-changes channel, with its revision and no setting', async () => {
      const subscriber = new IORedis(env.redisUrl);
      const heard: JobChangeMessage[] = [];
      subscriber.on('message', (_channel, message: string) => heard.push(JSON.parse(message) as JobChangeMessage));
      await subscriber.subscribe(jobChangesChannel(env.queuePrefix));
      try {
        const { id: _id, ...settings } = job;
        expect((await call('POST', '/jobs', { key: admin, body: JSON.stringify({ ...job, id: 'tenant-b' }) })).status).toBe(201);
        expect((await call('PUT', '/jobs/tenant-b', { key: admin, body: JSON.stringify({ ...settings, schedule: { intervalMinutes: 20 } }) })).status).toBe(200);
        const { source: _source, ...withoutSource } = settings;
        const demo = { ...withoutSource, source: { kind: 'demo' }, goto: { clientId: 'goto-client' } };
        expect((await call('PUT', '/jobs/tenant-b', { key: admin, body: JSON.stringify(demo) })).status).toBe(200);
        expect((await call('DELETE', '/jobs/tenant-b', { key: admin })).status).toBe(204);
        await waitFor(() => heard.length >= 4, { what: 'four job-changes messages' });
        expect(heard).toEqual([
          { jobId: 'tenant-b', revision: 1, reason: 'created' },
          { jobId: 'tenant-b', revision: 2, reason: 'credentials' },
          { jobId: 'tenant-b', revision: 3, reason: 'settings' },
          { jobId: 'tenant-b', revision: 3, reason: 'deleted' },
        ]);
      } finally {
        await subscriber.quit();
      }
    });
  });

  describe('input safety', () => {
    const post = (body: string, type?: string) => call('POST', '/api-keys', { key: admin, body, type });

    it('refuses a form with 415, malformed JSON, unknown fields and NUL with 400 and an oversize body with 413, each named', async () => {
      const form = await post('name=x&role=admin', 'application/x-www-form-urlencoded');
      expect([form.status, form.body.message]).toEqual([415, expect.stringMatching(/must be JSON .* not application\/x-www-form-urlencoded/)]);
      const text = await post('{"name": "x"}', 'text/plain');
      expect(text.status).toBe(415);

      const malformed = await post('{"name": "x",}');
      expect([malformed.status, malformed.body.message]).toEqual([400, expect.stringMatching(/^malformed JSON body: .*position/)]);

      const unknown = await post(JSON.stringify({ name: 'x', role: 'admin', admin: true }));
      expect(unknown.status).toBe(400);
      expect(unknown.body.issues).toEqual([{ path: '(root)', message: expect.stringContaining('"admin"') }]);

      const nul = await post(JSON.stringify({ name: 'x\u0000y', role: 'admin' }));
      expect([nul.status, nul.body.message]).toEqual([400, expect.stringMatching(/^body\.name contains a NUL character/)]);

      const big = await post(JSON.stringify({ name: 'x'.repeat(5000), role: 'admin' }));
      expect([big.status, big.body.message]).toEqual([413, expect.stringContaining('limit of 4096 bytes')]);
    });

    it('names the field of a nested unknown field or a wrong type, and refuses a body of the wrong shape', async () => {
      const job = { id: 'shape', source: { kind: 'demo' }, goto: { clientId: 'c', colour: 'red' } };
      const nested = await call('POST', '/jobs', { key: admin, body: JSON.stringify(job) });
      expect([nested.status, nested.body.issues]).toEqual([400, [{ path: 'goto', message: expect.stringContaining('"colour"') }]]);
      const typed = await call('POST', '/jobs', { key: admin, body: JSON.stringify({ ...job, goto: { clientId: 'c', rateLimitPerSecond: 'fast' } }) });
      expect([typed.status, typed.body.issues]).toEqual([400, [{ path: 'goto.rateLimitPerSecond', message: expect.stringMatching(/number/) }]]);
      for (const body of ['[]', '"x"', 'null', '7']) expect([body, (await post(body)).status]).toEqual([body, 400]);
      expect((await call('POST', '/api-keys', { key: admin, body: JSON.stringify({ name: 'charset', role: 'reader' }), type: 'application/json; charset=utf-8' })).status).toBe(201);
    });

    it('refuses a __proto__ key as an unknown field, without polluting any object', async () => {
      const polluting = await post('{"name": "p", "role": "reader", "__proto__": {"role": "admin", "polluted": true}}');
      expect(polluting.status).toBe(400);
      expect(JSON.stringify(polluting.body.issues)).toContain('__proto__');
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    });

    it('refuses NUL in the path and the query with 400, naming where', async () => {
      const inPath = await call('GET', '/jobs/a%00b', { key: admin });
      expect([inPath.status, inPath.body.message]).toEqual([400, expect.stringMatching(/^path contains a NUL character/)]);
      const inQuery = await call('GET', '/jobs?x=a%00b', { key: admin });
      expect([inQuery.status, inQuery.body.message]).toEqual([400, expect.stringMatching(/^query\.x contains a NUL character/)]);
    });

    it('stops reading a chunked body (no Content-Length) at the limit with 413', async () => {
      const chunk = new TextEncoder().encode(`"${'x'.repeat(1000)}",`);
      const body = new ReadableStream<Uint8Array>({
        start(controller) {
          controller.enqueue(new TextEncoder().encode('{"name": ['));
          for (let i = 0; i < 10; i++) controller.enqueue(chunk);
          controller.enqueue(new TextEncoder().encode('"x"], "role": "admin"}'));
          controller.close();
        },
      });
      const res = await fetch(`${api.url}/api-keys`, { method: 'POST', headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json' }, body, duplex: 'half' } as RequestInit);
      expect([res.status, ((await res.json()) as { message: string }).message]).toEqual([413, expect.stringContaining('limit of 4096 bytes')]);
    });
  });
});
