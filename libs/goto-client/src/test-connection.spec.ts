import { DEMO_PRINCIPALS, TestEmulator } from '@roster/goto-emulator';
import { GotoClient } from './goto-client';
import type { GotoCredentials, GotoEndpoints } from './goto-endpoints';

const { client: demoClient, admin, member } = DEMO_PRINCIPALS;
const login = (userId: string, password: string): GotoCredentials => ({ kind: 'password', userId, password, clientId: demoClient.clientId });

describe('GotoClient.testConnection', () => {
  let goto: TestEmulator;
  let citrix: TestEmulator;
  beforeAll(async () => {
    [goto, citrix] = await Promise.all([TestEmulator.start(), TestEmulator.start({ citrixStatusCodes: true })]);
  });
  afterAll(() => Promise.all([goto.stop(), citrix.stop()]));

  const verdict = (credentials: GotoCredentials, endpoints: GotoEndpoints = goto.emulator.endpoints) =>
    new GotoClient({ endpoints, credentials, timeoutMs: 2_000 }).testConnection();

  it('is OK with the account name, for an OAuth client and for a Team Admin login', async () => {
    const ok = { ok: true, accountName: 'Example Organisation' };
    expect(await verdict({ kind: 'oauth-client', ...demoClient })).toEqual(ok);
    expect(await verdict(login(admin.userId, admin.password))).toEqual(ok);
  });

  it('says bad-credentials for a wrong password or client secret', async () => {
    expect(await verdict(login(admin.userId, 'not-the-password'))).toMatchObject({ ok: false, reason: 'bad-credentials' });
    expect(await verdict({ kind: 'oauth-client', ...demoClient, clientSecret: 'nope' })).toMatchObject({ ok: false, reason: 'bad-credentials' });
  });

  it('says not-admin for a user without Team Admin rights, with standard and Citrix status codes', async () => {
    expect(await verdict(login(member.userId, member.password))).toMatchObject({ ok: false, reason: 'not-admin' });
    expect(await verdict(login(member.userId, member.password), citrix.emulator.endpoints)).toMatchObject({ ok: false, reason: 'not-admin' });
  });

  it('says unreachable when nothing listens', async () => {
    const gone = await TestEmulator.start();
    const endpoints = gone.emulator.endpoints;
    await gone.stop();
    const result = await verdict({ kind: 'oauth-client', ...demoClient }, endpoints);
    expect(result).toMatchObject({ ok: false, reason: 'unreachable', detail: expect.stringMatching(/ECONNREFUSED/) });
  });

  it('says unexpected for a server error, and never shows the password', async () => {
    goto.emulator.faults.failNext(1, { kind: 'status', status: 500 }, { pathPrefix: '/admin' });
    const result = await verdict(login(admin.userId, admin.password));
    expect(result).toMatchObject({ ok: false, reason: 'unexpected' });
    expect(JSON.stringify(result)).not.toContain(admin.password);
  });
});
