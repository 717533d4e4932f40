import { DEMO_TENANT } from './emulator-options';
import { EmulatorHttp, type JsonBody } from './testing/emulator-http';

describe('client-credentials token endpoint and bearer checks', () => {
  let clock = Date.now();
  let http: EmulatorHttp;
  beforeAll(async () => {
    http = await EmulatorHttp.start({ now: () => clock, accessTokenTtlSeconds: 60 });
  });
  afterAll(() => http.stop());

  const requestToken = (tenant: string, fields: Record<string, string>, headers: Record<string, string> = {}) =>
    fetch(`${http.baseUrl}/${tenant}/oauth2/v2.0/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
      body: new URLSearchParams(fields),
    }).then(async (response) => ({ status: response.status, body: (await response.json()) as JsonBody }));
  const validForm = {
    client_id: DEMO_TENANT.clientId,
    client_secret: DEMO_TENANT.clientSecret,
    scope: 'https://graph.microsoft.com/.default',
    grant_type: 'client_credentials',
  };

  it('issues a bearer token for the tenant id or its domain', async () => {
    for (const tenant of [DEMO_TENANT.tenantId, DEMO_TENANT.tenantDomain]) {
      const { status, body } = await requestToken(tenant, validForm);
      expect(status).toBe(200);
      expect(body).toEqual({ token_type: 'Bearer', expires_in: 60, ext_expires_in: 60, access_token: expect.any(String) });
      const users = await http.get('/v1.0/users', { token: body.access_token });
      expect(users.status).toBe(200);
    }
  });

  it('accepts the client secret through HTTP Basic authentication', async () => {
    const { client_id, client_secret, ...rest } = validForm;
    const basic = Buffer.from(`${client_id}:${encodeURIComponent(client_secret)}`).toString('base64');
    const { status } = await requestToken(DEMO_TENANT.tenantId, rest, { authorization: `Basic ${basic}` });
    expect(status).toBe(200);
  });

  it.each([
    ['a wrong secret', DEMO_TENANT.tenantId, { client_secret: 'nope' }, 401, 'invalid_client', 7000215],
    ['an unknown tenant', 'contoso.onmicrosoft.com', {}, 400, 'invalid_request', 90002],
    ['an unknown client', DEMO_TENANT.tenantId, { client_id: '00000000-0000-0000-0000-000000000001' }, 400, 'unauthorized_client', 700016],
    ['a missing grant type', DEMO_TENANT.tenantId, { grant_type: '' }, 400, 'invalid_request', 900144],
    ['another grant type', DEMO_TENANT.tenantId, { grant_type: 'password' }, 400, 'unsupported_grant_type', 70003],
    ['a scope without /.default', DEMO_TENANT.tenantId, { scope: 'https://graph.microsoft.com/User.Read.All' }, 400, 'invalid_scope', 1002012],
    ['a scope for another resource', DEMO_TENANT.tenantId, { scope: 'https://vault.azure.net/.default' }, 400, 'invalid_resource', 500011],
  ])('answers %s with the AADSTS error body', async (_case, tenant, override, status, error, code) => {
    const response = await requestToken(tenant, { ...validForm, ...override });
    expect(response.status).toBe(status);
    expect(response.body).toEqual({
      error,
      error_description: expect.stringMatching(new RegExp(`^AADSTS${code}: .*\\r\\nTrace ID: .*\\r\\nCorrelation ID: .*\\r\\nTimestamp: `, 's')),
      error_codes: [code],
      timestamp: expect.stringMatching(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ$/),
      trace_id: expect.any(String),
      correlation_id: expect.any(String),
    });
  });

  it('answers Graph calls with a missing, malformed, revoked or expired token with a 401 Graph error', async () => {
    const expectUnauthenticated = async (token: string | null, message: string) => {
      const { status, body } = await http.get('/v1.0/users', { token });
      expect(status).toBe(401);
      expect(body.error).toEqual({
        code: 'InvalidAuthenticationToken',
        message,
        innerError: {
          date: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$/),
          'request-id': expect.any(String),
          'client-request-id': expect.any(String),
        },
      });
    };
    await expectUnauthenticated(null, 'Access token is empty.');
    await expectUnauthenticated('garbage', 'CompactToken parsing failed with error code: 80049217');

    const token = http.emulator.issueAccessToken();
    clock += 61_000;
    await expectUnauthenticated(token, 'Access token has expired or is not yet valid.');

    const fresh = http.emulator.issueAccessToken();
    http.emulator.revokeAccessTokens();
    await expectUnauthenticated(fresh, 'Access token validation failure. Invalid audience.');
  });
});
