import { DEMO_PRINCIPALS, TestEmulator } from '@roster/goto-emulator';
import { GotoClient } from './goto-client';
import type { GotoCredentials } from './goto-endpoints';

const { client: demoClient, admin } = DEMO_PRINCIPALS;
const oauthClient: GotoCredentials = { kind: 'oauth-client', ...demoClient };
const password: GotoCredentials = { kind: 'password', userId: admin.userId, password: admin.password, clientId: demoClient.clientId };

describe('GotoClient token handling against the emulator', () => {
  let goto: TestEmulator;
  afterEach(() => goto.stop());

  const tokenRequests = () => goto.emulator.requestLog.entries({ family: 'auth' });
  const statuses = () => goto.emulator.requestLog.entries().map((entry) => `${entry.family} ${entry.status}`);

  it('caches the token and shares one token request between concurrent calls', async () => {
    goto = await TestEmulator.start();
    const client = new GotoClient({ endpoints: goto.emulator.endpoints, credentials: oauthClient });
    await Promise.all(Array.from({ length: 5 }, () => client.getUser('1')));
    await client.getUser('1');
    expect(tokenRequests()).toHaveLength(1);
  });

  it('logs in with the Team Admin user name and password (legacy direct login)', async () => {
    goto = await TestEmulator.start();
    const client = new GotoClient({ endpoints: goto.emulator.endpoints, credentials: password });
    const created = await client.createUser({ userName: 'a@example.com', name: { givenName: 'A', familyName: 'B' } });
    expect(created.userName).toBe('a@example.com');
    expect(tokenRequests().map((entry) => `${entry.method} ${entry.path}`)).toEqual(['POST /oauth/access_token']);
    expect(goto.emulator.requestLog.entries({ family: 'scim' })[0]?.principal).toBe(admin.userId);
  });

  /** A clock the emulator and the client share, moved by the test instead of waited for. */
  function fakeClock() {
    let now = Date.parse('2026-12-03T10:00:00Z');
    return { now: () => now, advance: (ms: number) => void (now += ms) };
  }

  it.each([
    ['OAuth client', oauthClient],
    ['password', password],
  ])('renews the token before it expires (%s credentials), without a 401', async (_kind, credentials) => {
    const clock = fakeClock();
    goto = await TestEmulator.start({ tokenTtlSeconds: 60, clock: clock.now });
    const client = new GotoClient({ endpoints: goto.emulator.endpoints, credentials, clock: clock.now });
    await client.getUser('1');
    clock.advance(29_000);
    await client.getUser('1');
    clock.advance(2_000);
    await client.getUser('1');
    expect(statuses()).toEqual(['auth 200', 'scim 404', 'scim 404', 'auth 200', 'scim 404']);
  });

  it.each([
    ['standard', false],
    ['Citrix', true],
  ])('takes the token after waiting for the rate-limit slot, so a long wait never sends an expired one (%s status codes)', async (_style, citrixStatusCodes) => {
    const clock = fakeClock();
    goto = await TestEmulator.start({ tokenTtlSeconds: 5, clock: clock.now, citrixStatusCodes });
    // Every SCIM request waits longer for its slot than a token lives.
    const client = new GotoClient({
      endpoints: goto.emulator.endpoints,
      credentials: oauthClient,
      clock: clock.now,
      beforeRequest: async (api) => void (api === 'scim' && clock.advance(6_000)),
    });
    for (let i = 0; i < 3; i += 1) expect(await client.getUser('1')).toBeNull();
    expect(statuses()).toEqual(['auth 200', 'scim 404', 'auth 200', 'scim 404', 'auth 200', 'scim 404']);
  });

  it.each([
    ['standard', false, 401],
    ['Citrix', true, 403],
  ])('renews an expired token once and repeats the request (%s status codes)', async (_style, citrixStatusCodes, refusal) => {
    const clock = fakeClock();
    goto = await TestEmulator.start({ tokenTtlSeconds: 5, clock: clock.now, citrixStatusCodes });
    // The client believes its token lives longer than GoTo lets it (a clock skew, a revoked token).
    const client = new GotoClient({ endpoints: goto.emulator.endpoints, credentials: oauthClient });
    await client.getUser('1');
    clock.advance(6_000);
    expect(await client.getUser('1')).toBeNull();
    expect(statuses()).toEqual(['auth 200', 'scim 404', `scim ${refusal}`, 'auth 200', 'scim 404']);
  });

  it('renews the token once after a 401 and repeats the request', async () => {
    goto = await TestEmulator.start();
    const client = new GotoClient({ endpoints: goto.emulator.endpoints, credentials: oauthClient });
    const { id } = await client.createUser({ userName: 'a@example.com', name: { givenName: 'A', familyName: 'B' } });
    goto.emulator.revokeTokens();
    expect((await client.getUser(id))?.id).toBe(id);
    expect(statuses()).toEqual(['auth 200', 'scim 201', 'scim 401', 'auth 200', 'scim 200']);
  });
});
