import { SecretBox } from '@roster/platform';
import { TestEnvironment } from '@roster/testing';
import { startAdminApi, type RunningAdminApi } from '../support/admin-api';

const WRONG = 'rk_0000000000000000_not-a-real-key-not-a-real-key-not-a-real-key';

/**
 * The failed-authentication limit counts per client address. Behind a reverse proxy every client
 * arrives from the proxy's address: with TRUST_PROXY naming the proxy, the limit counts the client
 * X-Forwarded-For names; without it the header is not believed (a client could name any address).
 */
describe('admin API behind a proxy (TRUST_PROXY)', () => {
  const env = new TestEnvironment();
  const apis: RunningAdminApi[] = [];
  const start = async (extra: Record<string, string>) => {
    const api = await startAdminApi(env.env({ ROSTER_SECRET_KEY: SecretBox.generateKey(), AUTH_FAILURE_LIMIT: '3', ...extra }));
    apis.push(api);
    return api;
  };
  const me = async (api: RunningAdminApi, key: string, forwardedFor: string) =>
    (await fetch(`${api.url}/auth/me`, { headers: { authorization: `Bearer ${key}`, 'x-forwarded-for': forwardedFor } })).status;
  /** One client guesses until it is refused. */
  const lockOut = async (api: RunningAdminApi, forwardedFor: string) => {
    for (let i = 0; i < 3; i++) expect(await me(api, WRONG, forwardedFor)).toBe(401);
    expect(await me(api, api.adminKey, forwardedFor)).toBe(429);
  };

  afterAll(async () => {
    for (const api of apis) await api.app.close();
    await env.dispose();
  });

  it('with the proxy trusted, locks out only the client that guessed', async () => {
    const api = await start({ TRUST_PROXY: 'loopback' });
    await lockOut(api, '203.0.113.5');
    expect(await me(api, api.adminKey, '203.0.113.6')).toBe(200);
    // The proxy appends the address it saw: a client naming another in front of it changes nothing.
    expect(await me(api, api.adminKey, '198.51.100.1, 203.0.113.5')).toBe(429);
  });

  it('counts hops as well: only the address the last proxy saw is believed', async () => {
    const api = await start({ TRUST_PROXY: '1' });
    await lockOut(api, '203.0.113.7');
    expect(await me(api, api.adminKey, '203.0.113.7, 203.0.113.8')).toBe(200);
  });

  it('without it, believes no header: every client of the proxy shares its address', async () => {
    const api = await start({});
    await lockOut(api, '203.0.113.9');
    expect(await me(api, api.adminKey, '203.0.113.10')).toBe(429);
  });
});
