import { DEMO_TENANT } from './emulator-options';
import { EmulatorHttp } from './testing/emulator-http';

describe('admin API over HTTP', () => {
  let http: EmulatorHttp;
  beforeAll(async () => {
    http = await EmulatorHttp.start();
  });
  afterAll(() => http.stop());

  const admin = (method: string, path: string, body?: unknown) => http.request(method, `/_emulator${path}`, { body, token: null });

  it('shapes the directory the way the in-process methods do', async () => {
    expect((await admin('POST', '/reset')).status).toBe(204);
    expect((await admin('POST', '/users/seed', { count: 3, assign: true })).body).toEqual({ count: 3 });
    const { status, body: ada } = await admin('POST', '/users', { userPrincipalName: 'ada@contoso.com', employeeId: 'E7' });
    expect([status, ada.accountEnabled, ada.mail]).toEqual([201, true, null]);
    expect((await admin('PATCH', `/users/${ada.id}`, { accountEnabled: false })).body.accountEnabled).toBe(false);

    const { body: group } = await admin('POST', '/groups', { displayName: 'Sales' });
    expect((await admin('POST', `/groups/${group.id}/members`, { id: ada.id })).status).toBe(204);
    const { body: assignment } = await admin('POST', '/assignments', { principalId: group.id, appRoleId: DEMO_TENANT.userRoleId });
    expect(assignment).toMatchObject({ principalType: 'Group', resourceId: DEMO_TENANT.servicePrincipalId });

    expect((await admin('DELETE', `/users/${ada.id}`)).status).toBe(204);
    expect((await admin('POST', `/users/${ada.id}/restore`)).body.id).toBe(ada.id);
    expect((await admin('DELETE', `/users/${ada.id}?permanent=true`)).status).toBe(204);
    expect((await admin('DELETE', `/assignments/${assignment.id}`)).status).toBe(204);
    expect((await admin('GET', '/state')).body).toMatchObject({
      tenantId: DEMO_TENANT.tenantId,
      clientIds: [DEMO_TENANT.clientId],
      counts: { users: 3, deletedUsers: 0, groups: 1, assignments: 3, subscriptions: 0 },
    });
  });

  it('answers bad input with Graph error bodies', async () => {
    const duplicate = { userPrincipalName: 'dup@contoso.com' };
    await admin('POST', '/users', duplicate);
    const conflict = await admin('POST', '/users', duplicate);
    expect([conflict.status, conflict.body.error.message]).toEqual([
      400,
      'Another object with the same value for property userPrincipalName already exists.',
    ]);
    expect((await admin('POST', '/users', { userPrincipalName: 'not-an-upn' })).status).toBe(400);
    expect((await admin('POST', '/users/seed', { count: 0 })).status).toBe(400);
    expect((await admin('PUT', '/throttling', { failNext: { count: 1, status: 500 } })).status).toBe(400);
    expect((await admin('DELETE', '/groups/5b0c2a9e-4f7d-4c1b-9e3a-8d2f6a1c0b7e')).status).toBe(404);
  });

  it('controls protocol behaviour and exposes the request log', async () => {
    await admin('DELETE', '/requests');
    expect((await admin('PUT', '/throttling', { failNext: { count: 1, status: 429, retryAfterSeconds: 1 } })).status).toBe(204);
    expect((await http.get('/v1.0/groups')).status).toBe(429);
    expect((await admin('POST', '/delta/expire')).status).toBe(204);
    expect((await admin('POST', '/tokens/revoke')).status).toBe(204);
    expect((await http.get('/v1.0/groups')).status).toBe(401);

    const { body } = await admin('GET', '/requests');
    expect(body.value.map((r: { method: string; url: string; status: number }) => `${r.method} ${r.url} ${r.status}`)).toEqual([
      'DELETE /_emulator/requests 204',
      'PUT /_emulator/throttling 204',
      'GET /v1.0/groups 429',
      'POST /_emulator/delta/expire 204',
      'POST /_emulator/tokens/revoke 204',
      'GET /v1.0/groups 401',
    ]);
    expect(body.value[2].clientId).toBe(DEMO_TENANT.clientId);
  });
});
