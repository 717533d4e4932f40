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

  it.each([
    ['OAuth client', oauthClient],
    ['password', password],
  ])('renews the token before it expires (%s credentials), without a 401', async (_kind, credentials) => {
    goto = await TestEmulator.start({ tokenTtlSeconds: 1 });
    const client = new GotoClient({ endpoints: goto.emulator.endpoints, credentials });
    await client.getUser('1');
    await new Promise((resolve) => setTimeout(resolve, 950));
    await client.getUser('1');
    expect(statuses()).toEqual(['auth 200', 'scim 404', 'auth 200', 'scim 404']);
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
