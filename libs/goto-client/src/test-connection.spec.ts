import { DEMO_PRINCIPALS, TestEmulator } from '@roster/goto-emulator';
import { GotoClient } from './goto-client';
import type { GotoCredentials, GotoEndpoints } from './goto-endpoints';

const { client: demoClient, admin, member, reader } = DEMO_PRINCIPALS;
const login = (userId: string, password: string): GotoCredentials => ({ kind: 'password', userId, password, clientId: demoClient.clientId });
const oauthClient: GotoCredentials = { kind: 'oauth-client', ...demoClient };

describe('GotoClient.testConnection', () => {
  let goto: TestEmulator;
  let citrix: TestEmulator;
  let scimOnly: TestEmulator;
  beforeAll(async () => {
    [goto, citrix, scimOnly] = await Promise.all([
      TestEmulator.start(),
      TestEmulator.start({ citrixStatusCodes: true }),
      TestEmulator.start({ adminApi: false }),
    ]);
  });
  afterAll(() => Promise.all([goto.stop(), citrix.stop(), scimOnly.stop()]));
  beforeEach(() => [goto, citrix, scimOnly].forEach((emulator) => emulator.reset()));

  const verdict = (credentials: GotoCredentials, endpoints: GotoEndpoints = goto.emulator.endpoints) =>
    new GotoClient({ endpoints, credentials, timeoutMs: 2_000 }).testConnection();
  const requests = (emulator: TestEmulator) => emulator.emulator.requestLog.entries().map((entry) => `${entry.method} ${entry.path} ${entry.status}`);

  it('is OK with the account name, for an OAuth client and for a Team Admin login', async () => {
    const ok = { ok: true, accountName: 'Example Organisation', notes: [] };
    expect(await verdict(oauthClient)).toEqual(ok);
    expect(await verdict(login(admin.userId, admin.password))).toEqual(ok);
  });

  it('decides over SCIM with a create GoTo refuses as invalid, and never creates anything', async () => {
    await verdict(oauthClient);
    expect(requests(goto)).toEqual([
      'POST /oauth/token 200',
      'GET /identity/v1/Users 200',
      'POST /identity/v1/Users 400',
      'GET /admin/rest/v1/me 200',
    ]);
    expect(goto.emulator.users.size).toBe(0);
  });

  it('is OK against a GoTo without the Admin API: account name unknown, with a note', async () => {
    const result = await verdict(oauthClient, scimOnly.emulator.endpoints);
    expect(result).toEqual({ ok: true, accountName: null, notes: [expect.stringMatching(/Admin REST API.*404/)] });
  });

  it('stays OK when the Admin API fails, with a note', async () => {
    goto.emulator.faults.failNext(1, { kind: 'status', status: 500 }, { pathPrefix: '/admin' });
    expect(await verdict(oauthClient)).toEqual({ ok: true, accountName: null, notes: [expect.stringMatching(/HTTP 500/)] });
  });

  it('says bad-credentials for a wrong password or client secret', async () => {
    expect(await verdict(login(admin.userId, 'not-the-password'))).toMatchObject({ ok: false, reason: 'bad-credentials' });
    expect(await verdict({ ...oauthClient, clientSecret: 'nope' })).toMatchObject({ ok: false, reason: 'bad-credentials' });
  });

  it.each([
    ['standard', () => goto],
    ['Citrix', () => citrix],
  ])('says not-admin for a user who may read but not manage users (%s status codes)', async (_style, emulator) => {
    const result = await verdict(login(reader.userId, reader.password), emulator().emulator.endpoints);
    expect(result).toMatchObject({ ok: false, reason: 'not-admin', detail: expect.stringMatching(/refused user management/) });
    expect(emulator().emulator.users.size).toBe(0);
  });

  it.each([
    ['standard', () => goto],
    ['Citrix', () => citrix],
  ])('says not-admin for a user who may not even read users (%s status codes)', async (_style, emulator) => {
    const result = await verdict(login(member.userId, member.password), emulator().emulator.endpoints);
    expect(result).toMatchObject({ ok: false, reason: 'not-admin', detail: expect.stringMatching(/refused to list users/) });
  });

  it('says unreachable when nothing listens', async () => {
    const gone = await TestEmulator.start();
    const endpoints = gone.emulator.endpoints;
    await gone.stop();
    const result = await verdict(oauthClient, endpoints);
    expect(result).toMatchObject({ ok: false, reason: 'unreachable', detail: expect.stringMatching(/ECONNREFUSED/) });
  });

  it('says unexpected for a server error on SCIM, and never shows the password', async () => {
    goto.emulator.faults.failNext(1, { kind: 'status', status: 500 }, { pathPrefix: '/identity' });
    const result = await verdict(login(admin.userId, admin.password));
    expect(result).toMatchObject({ ok: false, reason: 'unexpected' });
    expect(JSON.stringify(result)).not.toContain(admin.password);
  });

  it('deletes a user GoTo should have refused but created, and says unexpected', async () => {
    const created = { schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], id: '4242', userName: '' };
    goto.emulator.faults.failNext(1, { kind: 'status', status: 201, body: created }, { method: 'POST', pathPrefix: '/identity/v1/Users' });
    const result = await verdict(oauthClient);
    expect(result).toMatchObject({ ok: false, reason: 'unexpected', detail: expect.stringMatching(/created a user without userName \(id 4242, deleted again\)/) });
    expect(requests(goto)).toContain('DELETE /identity/v1/Users/4242 404');
  });
});
