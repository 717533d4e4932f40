import { DEMO_PRINCIPALS } from '../demo-principals';
import { SCIM_URN } from '../scim/scim-schemas';
import { TestEmulator, scimUserBody } from '../testing/test-emulator';

const { client, admin } = DEMO_PRINCIPALS;
const basic = (id: string, secret: string) => `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`;
const FORM = 'application/x-www-form-urlencoded';

describe('GoTo emulator: OAuth token endpoints', () => {
  let goto: TestEmulator;
  beforeAll(async () => (goto = await TestEmulator.start()));
  afterAll(() => goto.stop());

  const tokenRequest = (form: string, authorization = basic(client.clientId, client.clientSecret), contentType = FORM) =>
    goto.fetch('/oauth/token', { method: 'POST', headers: { authorization, 'content-type': contentType }, body: form });

  const directLogin = (fields: Record<string, string>, method: 'POST' | 'GET' = 'POST') => {
    const form = new URLSearchParams(fields).toString();
    return method === 'GET'
      ? goto.fetch(`/oauth/access_token?${form}`, { method })
      : goto.fetch('/oauth/access_token', { method, headers: { 'content-type': FORM }, body: form });
  };
  const adminLogin = { grant_type: 'password', user_id: admin.userId, password: admin.password, client_id: client.clientId };

  it('issues an opaque bearer token for client_credentials with expires_in as a number', async () => {
    const response = await tokenRequest('grant_type=client_credentials');
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(response.body).toEqual({
      access_token: expect.stringMatching(/^[\w-]{40,}$/),
      token_type: 'Bearer',
      expires_in: 3600,
      scope: expect.any(String),
      principal: client.clientId,
    });
  });

  it.each([
    ['a wrong secret', basic(client.clientId, 'wrong')],
    ['an unknown client', basic('nobody', client.clientSecret)],
    ['no Basic credentials', ''],
  ])('answers 401 invalid_client for %s', async (_case, authorization) => {
    const response = await tokenRequest('grant_type=client_credentials', authorization);
    expect(response.status).toBe(401);
    expect(response.body).toEqual({ error: 'invalid_client', error_description: expect.any(String) });
  });

  it('refuses unsupported grants and non-form bodies with RFC 6749 errors', async () => {
    expect((await tokenRequest('grant_type=password')).body.error).toBe('unsupported_grant_type');
    expect((await tokenRequest('')).body.error).toBe('invalid_request');
    const json = await tokenRequest('{"grant_type":"client_credentials"}', undefined, 'application/json');
    expect(json.status).toBe(400);
    expect(json.body.error).toBe('invalid_request');
  });

  it.each(['POST', 'GET'] as const)('accepts the legacy direct login by %s with the documented response', async (method) => {
    const response = await directLogin(adminLogin, method);
    expect(response.status).toBe(200);
    expect(response.body).toEqual({
      access_token: expect.any(String),
      expires_in: '3600',
      refresh_token: expect.any(String),
      organizer_key: expect.stringMatching(/^\d{19}$/),
      account_key: '8887380153236031176710',
      account_type: 'corporate',
      firstName: admin.firstName,
      lastName: admin.lastName,
      email: admin.userId,
      platform: 'GLOBAL',
      version: '2',
    });
  });

  it('refuses a wrong password (400 invalid_grant), an unknown client_id (401) and a missing field (400)', async () => {
    const wrongPassword = await directLogin({ ...adminLogin, password: 'nope' });
    expect([wrongPassword.status, wrongPassword.body.error]).toEqual([400, 'invalid_grant']);
    const unknownClient = await directLogin({ ...adminLogin, client_id: 'nobody' });
    expect([unknownClient.status, unknownClient.body.error]).toEqual([401, 'invalid_client']);
    const { client_id: _omitted, ...withoutClient } = adminLogin;
    const missing = await directLogin(withoutClient);
    expect([missing.status, missing.body.error]).toEqual([400, 'invalid_request']);
  });

  it('redeems a refresh token for a new access token without rotating the refresh token', async () => {
    const login = await directLogin(adminLogin);
    const refreshed = await tokenRequest(`grant_type=refresh_token&refresh_token=${login.body.refresh_token}`);
    expect(refreshed.status).toBe(200);
    expect(refreshed.body.access_token).not.toBe(login.body.access_token);
    expect(refreshed.body).not.toHaveProperty('refresh_token');
    expect((await goto.request('GET', '/admin/rest/v1/me', { as: { token: refreshed.body.access_token } })).status).toBe(200);
    const bogus = await tokenRequest('grant_type=refresh_token&refresh_token=bogus');
    expect([bogus.status, bogus.body.error]).toEqual([400, 'invalid_grant']);
  });
});

describe('GoTo emulator: bearer tokens on the APIs', () => {
  let goto: TestEmulator;
  afterEach(() => goto.stop());

  it('rejects a missing or unknown token with 401 and a SCIM error body', async () => {
    goto = await TestEmulator.start();
    for (const as of [null, { token: 'made-up' }]) {
      const response = await goto.request('GET', '/identity/v1/Users', { as });
      expect(response.status).toBe(401);
      expect(response.headers.get('www-authenticate')).toContain('Bearer');
      expect(response.body).toMatchObject({ schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'], status: '401' });
    }
  });

  it('rejects an expired token, judged on the clock it was given', async () => {
    let now = Date.parse('2026-12-03T10:00:00Z');
    goto = await TestEmulator.start({ tokenTtlSeconds: 60, clock: () => now });
    const token = await goto.token();
    now += 59_999;
    expect((await goto.request('GET', '/identity/v1/Users', { as: { token } })).status).toBe(200);
    now += 1;
    expect((await goto.request('GET', '/identity/v1/Users', { as: { token } })).status).toBe(401);
  });

  it('refuses user management to a non-admin user (403) but lets it read /me', async () => {
    goto = await TestEmulator.start();
    const scim = await goto.request('GET', '/identity/v1/Users', { as: 'member' });
    expect(scim.status).toBe(403);
    expect(scim.body.detail).toMatch(/insufficient role/);
    expect((await goto.request('GET', '/admin/rest/v1/accounts/8887380153236031176710/users', { as: 'member' })).status).toBe(403);
    expect((await goto.request('GET', '/admin/rest/v1/me', { as: 'member' })).status).toBe(200);
    expect((await goto.request('GET', '/identity/v1/Users', { as: 'admin' })).status).toBe(200);
  });

  it.each([
    ['standard', false, 403],
    ['Citrix', true, 401],
  ])('lets a ROLE_ORG_READ user read users and groups but refuses its writes (%s codes)', async (_style, citrixStatusCodes, refused) => {
    goto = await TestEmulator.start({ citrixStatusCodes });
    expect((await goto.request('GET', '/identity/v1/Users', { as: 'reader' })).status).toBe(200);
    expect((await goto.request('GET', '/identity/v1/Groups', { as: 'reader' })).status).toBe(200);
    const create = await goto.request('POST', '/identity/v1/Users', { as: 'reader', body: scimUserBody('new@example.com') });
    expect([create.status, create.body.detail]).toEqual([refused, expect.stringMatching(/insufficient role/)]);
    expect((await goto.request('POST', '/identity/v1/Groups', { as: 'reader', body: { schemas: [SCIM_URN.group], displayName: 'g' } })).status).toBe(refused);
    expect(goto.emulator.users.size + goto.emulator.groups.size).toBe(0);
  });

  it('swaps to the Citrix spec codes on SCIM: 403 for a bad token, 401 for an insufficient role', async () => {
    goto = await TestEmulator.start({ citrixStatusCodes: true });
    expect((await goto.request('GET', '/identity/v1/Users', { as: { token: 'made-up' } })).status).toBe(403);
    expect((await goto.request('GET', '/identity/v1/Users', { as: 'member' })).status).toBe(401);
  });

  it('can switch the inferred client_credentials grant off', async () => {
    goto = await TestEmulator.start({ clientCredentialsGrant: false });
    await expect(goto.token('client')).rejects.toThrow(/unsupported_grant_type/);
    await expect(goto.token('admin')).resolves.toEqual(expect.any(String));
  });
});
