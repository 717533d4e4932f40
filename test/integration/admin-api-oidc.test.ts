import { SecretBox } from '@roster/platform';
import { OidcIssuer, TestEnvironment, startService, type RunningService } from '@roster/testing';
import { ADMIN_API_APP_OPTIONS, AdminApiAppModule } from '../../services/admin-api/src/app.module';

const AUDIENCE = 'api://roster-admin';
const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

describe('admin API: OIDC bearer tokens and the failed-authentication limit', () => {
  const env = new TestEnvironment();
  let issuer: OidcIssuer;
  let api: RunningService;
  let now = Date.now();

  const get = async (path: string, token?: string) => {
    const res = await fetch(`${api.url}${path}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
    return { status: res.status, retryAfter: res.headers.get('retry-after'), body: (await res.json()) as Record<string, unknown> };
  };
  const claims = (roles: unknown) => ({ aud: AUDIENCE, preferred_username: 'ada@example.com', roles });

  beforeAll(async () => {
    issuer = await OidcIssuer.start();
    api = await startService(
      AdminApiAppModule.forRoot(
        env.env({
          ROSTER_SECRET_KEY: SecretBox.generateKey(),
          OIDC_ISSUER: issuer.issuer,
          OIDC_AUDIENCE: `${AUDIENCE},other-client-id`,
          OIDC_ADMIN_ROLES: 'Roster.Admin',
          OIDC_READER_ROLES: 'Roster.Reader',
          AUTH_FAILURE_LIMIT: '1000',
          AUTH_FAILURE_WINDOW_MS: '60000',
        }),
        { clock: () => now },
      ),
      ADMIN_API_APP_OPTIONS,
    );
  });
  afterAll(async () => {
    await api?.app.close();
    await issuer?.close();
    await env.dispose();
  });

  it('answers 503 while the issuer’s discovery document is unavailable, and tries again after 30 s', async () => {
    issuer.discoveryStatus = 500;
    const token = await issuer.token(claims(['Roster.Admin']));
    const refused = await get('/auth/me', token);
    expect([refused.status, refused.body.message]).toEqual([503, expect.stringMatching(/openid-configuration answered 500/)]);
    issuer.discoveryStatus = 200;
    expect((await get('/auth/me', token)).status).toBe(503);
    expect(issuer.requests.discovery).toBe(1);
    now += 30_000;
    expect((await get('/auth/me', token)).status).toBe(200);
    expect(issuer.requests.discovery).toBe(2);
  });

  it('maps the roles claim to admin and reader, and answers 403 to a genuine token without either role', async () => {
    const admin = await issuer.token({ ...claims(['Other', 'Roster.Admin']), sub: 'oid-admin' });
    expect((await get('/auth/me', admin)).body).toEqual({ kind: 'oidc', id: 'oid-admin', name: 'ada@example.com', role: 'admin' });
    expect((await get('/api-keys', admin)).status).toBe(200);

    const reader = await issuer.token({ ...claims(['Roster.Reader']), aud: 'other-client-id' });
    expect((await get('/auth/me', reader)).body).toMatchObject({ kind: 'oidc', role: 'reader' });
    const forbidden = await get('/api-keys', reader);
    expect([forbidden.status, forbidden.body.message]).toEqual([403, expect.stringMatching(/needs the admin role; oidc ada@example.com has reader/)]);

    const roleless = await get('/auth/me', await issuer.token(claims(['Roster.Auditor'])));
    expect([roleless.status, roleless.body.message]).toEqual([403, expect.stringMatching(/token of ada@example.com carries no role/)]);
    expect((await get('/auth/me', await issuer.token(claims(undefined)))).status).toBe(403);
  });

  it('fetches the JWKS once and verifies every later token from its cache', async () => {
    const before = { ...issuer.requests };
    for (let i = 0; i < 5; i++) expect((await get('/auth/me', await issuer.token({ ...claims(['Roster.Reader']), sub: `s${i}` }))).status).toBe(200);
    expect(issuer.requests).toEqual(before);
    expect(issuer.requests.jwks).toBe(1);
  });

  it('refuses with 401 a token expired, from another issuer, for another audience, unsigned, HMAC-signed or signed with a key not published', async () => {
    const admin = claims(['Roster.Admin']);
    const t = Math.floor(Date.now() / 1000);
    const unpublishedKey = await OidcIssuer.newKey('key-2');
    const sameKidOtherKey = await OidcIssuer.newKey('key-1');
    const signed = await issuer.token(admin);
    const [header, payload] = signed.split('.');
    const refusedTokens: Record<string, string> = {
      expired: await issuer.token({ ...admin, iat: t - 7200, exp: t - 3600 }),
      'wrong issuer': await issuer.token({ ...admin, iss: 'https://login.example.com/other/v2.0' }),
      'wrong audience': await issuer.token({ ...admin, aud: 'api://some-other-api' }),
      'no expiry': await issuer.token({ ...admin, exp: undefined }),
      'alg none': `${b64({ alg: 'none', typ: 'JWT' })}.${payload}.`,
      'alg none, signature kept': `${b64({ alg: 'none', kid: 'key-1' })}.${payload}.${signed.split('.')[2]}`,
      HS256: `${b64({ alg: 'HS256', kid: 'key-1' })}.${payload}.${Buffer.from('forged').toString('base64url')}`,
      'unpublished key': await issuer.token(admin, unpublishedKey),
      'published kid, other key': await issuer.token(admin, sameKidOtherKey),
      'payload changed': `${header}.${b64({ ...JSON.parse(Buffer.from(payload!, 'base64url').toString()), roles: ['Roster.Admin', 'x'] })}.${signed.split('.')[2]}`,
      'not a JWT': 'eyJhbGciOiJSUzI1NiJ9.e30.c2ln',
    };
    for (const [what, token] of Object.entries(refusedTokens)) {
      const answer = await get('/auth/me', token);
      expect([what, answer.status, answer.body.message]).toEqual([what, 401, 'the credential is not valid (unknown, revoked or expired)']);
    }
    expect((await get('/auth/me', signed)).status).toBe(200);
  });

  it('refuses an address after AUTH_FAILURE_LIMIT failures within the window with 429 and Retry-After, and admits it once they leave the window', async () => {
    // The failures of the tests before leave the window first.
    now += 60_000;
    const limited = await startLimited();
    try {
      const good = await issuer.token(claims(['Roster.Reader']));
      const bad = await issuer.token({ ...claims(['Roster.Reader']), aud: 'nope' });
      const call = async (token: string) => {
        const res = await fetch(`${limited.url}/auth/me`, { headers: { authorization: `Bearer ${token}` } });
        return { status: res.status, retryAfter: res.headers.get('retry-after') };
      };
      for (let i = 0; i < 3; i++) {
        expect((await call(bad)).status).toBe(401);
        now += 10_000;
      }
      // Oldest failure 30 s ago in a 60 s window: 30 s to wait, whatever the credential.
      expect(await call(good)).toEqual({ status: 429, retryAfter: '30' });
      expect(await call(bad)).toEqual({ status: 429, retryAfter: '30' });
      now += 29_000;
      expect(await call(good)).toEqual({ status: 429, retryAfter: '1' });
      now += 1_000;
      expect((await call(good)).status).toBe(200);
      // Two failures remain in the window: one more refuses the address again.
      expect((await call(bad)).status).toBe(401);
      expect((await call(good)).status).toBe(429);
    } finally {
      await limited.app.close();
    }
  });

  const startLimited = () =>
    startService(
      AdminApiAppModule.forRoot(
        env.env({ ROSTER_SECRET_KEY: SecretBox.generateKey(), OIDC_ISSUER: issuer.issuer, OIDC_AUDIENCE: AUDIENCE, AUTH_FAILURE_LIMIT: '3', AUTH_FAILURE_WINDOW_MS: '60000' }),
        { clock: () => now },
      ),
      ADMIN_API_APP_OPTIONS,
    );
});
