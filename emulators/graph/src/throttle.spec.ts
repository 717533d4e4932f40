import { DEMO_TENANT } from './emulator-options';
import { EmulatorHttp } from './testing/emulator-http';
import { requestCost } from './throttle';

describe('throttling', () => {
  let clock = Date.now();
  let http: EmulatorHttp;
  beforeAll(async () => {
    http = await EmulatorHttp.start({ now: () => clock });
  });
  beforeEach(() => http.emulator.reset());
  afterAll(() => http.stop());

  it('answers forced 429s with Retry-After, the throttle headers and the Graph body, then recovers', async () => {
    http.emulator.setThrottling({ failNext: { count: 1, status: 429, retryAfterSeconds: 7 } });
    const throttled = await http.get('/v1.0/users');
    expect(throttled.status).toBe(429);
    expect(throttled.headers.get('retry-after')).toBe('7');
    expect(throttled.headers.get('x-ms-throttle-scope')).toBe(`Tenant_Application/Read/${DEMO_TENANT.clientId}/${DEMO_TENANT.tenantId}`);
    expect(throttled.headers.get('x-ms-throttle-information')).toBe('ResourceUnitLimitExceeded');
    expect(throttled.body.error).toMatchObject({ code: 'TooManyRequests', innerError: { 'request-id': expect.any(String) } });

    const next = await http.get('/v1.0/users');
    expect(next.status).toBe(200);
    expect(next.headers.get('x-ms-resource-unit')).toBe('2');
  });

  it('answers forced 503s with Retry-After', async () => {
    http.emulator.setThrottling({ failNext: { count: 2, status: 503, retryAfterSeconds: 3 } });
    for (let i = 0; i < 2; i++) {
      const response = await http.get('/v1.0/groups');
      expect([response.status, response.headers.get('retry-after'), response.body.error.code]).toEqual([503, '3', 'serviceNotAvailable']);
    }
    expect((await http.get('/v1.0/groups')).status).toBe(200);
  });

  it('forces failures on matching requests only when told which', async () => {
    http.emulator.setThrottling({ failNext: { count: 1, status: 503, retryAfterSeconds: 0, urlIncludes: '/groups' } });
    expect((await http.get('/v1.0/users')).status).toBe(200);
    expect((await http.get('/v1.0/groups')).status).toBe(503);
    expect((await http.get('/v1.0/groups')).status).toBe(200);
  });

  it('limits resource units per application like the identity token bucket', async () => {
    http.emulator.setThrottling({ resourceUnits: { limit: 10, windowSeconds: 10 } });
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) statuses.push((await http.get('/v1.0/users')).status);
    expect(statuses).toEqual([200, 200, 200, 200, 200]);

    const refused = await http.get('/v1.0/users');
    expect([refused.status, refused.headers.get('retry-after')]).toEqual([429, '2']);
    clock += 2000;
    const accepted = await http.get('/v1.0/users');
    expect(accepted.status).toBe(200);
    expect(accepted.headers.get('x-ms-throttle-limit-percentage')).toBe('1.0');
  });

  it('never throttles the token endpoint', async () => {
    http.emulator.setThrottling({ failNext: { count: 5, status: 429 } });
    const response = await fetch(`${http.baseUrl}/${DEMO_TENANT.tenantId}/oauth2/v2.0/token`, {
      method: 'POST',
      body: new URLSearchParams({
        client_id: DEMO_TENANT.clientId,
        client_secret: DEMO_TENANT.clientSecret,
        scope: 'https://graph.microsoft.com/.default',
        grant_type: 'client_credentials',
      }),
    });
    expect(response.status).toBe(200);
  });

  it.each([
    ['GET', '/v1.0/users', '', 2],
    ['GET', '/v1.0/users', '$select=id', 1],
    ['GET', '/v1.0/groups/g/members', '', 3],
    ['GET', '/v1.0/groups/g/members', '$top=10', 2],
    ['GET', '/v1.0/groups/g/transitiveMembers', '$select=id&$top=5', 3],
    ['GET', '/v1.0/servicePrincipals/s/appRoleAssignedTo', '', 2],
    ['GET', '/v1.0/groups', '$expand=members', 2],
    ['POST', '/v1.0/subscriptions', '', 1],
  ])('costs %s %s?%s %i resource units', (method, path, query, cost) => {
    expect(requestCost(method, path, new URLSearchParams(query))).toBe(cost);
  });
});
