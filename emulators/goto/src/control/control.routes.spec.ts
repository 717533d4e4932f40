import { TestEmulator } from '../testing/test-emulator';

describe('GoTo emulator: control API', () => {
  let goto: TestEmulator;
  beforeAll(async () => (goto = await TestEmulator.start()));
  afterAll(() => goto.stop());
  beforeEach(() => goto.reset());

  const control = (method: string, path: string, body?: unknown) =>
    goto.request(method, `/_emulator${path}`, { as: null, ...(body !== undefined ? { body, contentType: 'application/json' } : {}) });

  it('seeds users in bulk (listed or generated), reports state, dumps users and resets', async () => {
    expect((await control('POST', '/users', { generate: { count: 1_000, prefix: 'bench' } })).body).toEqual({ created: 1_000 });
    const listed = await control('POST', '/users', { users: [{ userName: 'x@example.com', name: { givenName: 'X', familyName: 'Y' } }] });
    expect(listed.status).toBe(201);
    expect((await control('GET', '/state')).body).toMatchObject({ users: 1_001, groups: 0, rateLimit: 'unthrottled' });
    const dump = await control('GET', '/users');
    expect(dump.body.users[0]).toMatchObject({ userName: 'bench000001@example.com', active: true, attributes: expect.any(Object) });
    expect((await control('POST', '/reset')).status).toBe(204);
    expect((await control('GET', '/state')).body.users).toBe(0);
  });

  it('shows one user by userName, and groups with their members, read-only', async () => {
    await control('POST', '/users', { generate: { count: 3, prefix: 'view' } });
    const one = await control('GET', '/users?userName=VIEW000002@example.com');
    expect(one.body.users).toEqual([expect.objectContaining({ userName: 'view000002@example.com', active: true })]);
    expect((await control('GET', '/users?userName=nobody@example.com')).body).toEqual({ users: [] });
    expect((await control('GET', '/users?username=x')).status).toBe(400);

    const token = await goto.token();
    const member = goto.emulator.users.getByUserName('view000001@example.com')!;
    const created = await goto.request('POST', '/identity/v1/Groups', {
      as: { token },
      body: { schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'], displayName: 'Sales', members: [{ value: member.id }] },
    });
    expect(created.status).toBe(201);
    expect((await control('GET', '/groups')).body.groups).toEqual([
      expect.objectContaining({ displayName: 'Sales', members: [member.id] }),
    ]);
  });

  it('changes, disables and deletes accounts and moves group members by hand, off the request log', async () => {
    await control('POST', '/users', { generate: { count: 2, prefix: 'hand' } });
    const [first, second] = [...goto.emulator.users.values()];
    const token = await goto.token();
    const created = await goto.request('POST', '/identity/v1/Groups', {
      as: { token },
      body: { schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'], displayName: 'Hand', members: [{ value: first!.id }] },
    });
    const logged = goto.emulator.requestLog.size;

    const edited = await control('PATCH', `/users/${first!.id}`, { displayName: 'By hand', active: false, title: null });
    expect(edited.body).toMatchObject({ active: false, attributes: expect.objectContaining({ displayName: 'By hand' }) });
    expect(goto.emulator.users.get(first!.id)!.attributes).not.toHaveProperty('title');
    expect((await control('POST', `/groups/${created.body.id}/members`, { add: [second!.id], remove: [first!.id] })).status).toBe(204);
    expect([...goto.emulator.groups.get(created.body.id)!.members]).toEqual([second!.id]);
    expect((await control('DELETE', `/users/${second!.id}`)).status).toBe(204);
    expect(goto.emulator.users.get(second!.id)).toBeUndefined();
    expect(goto.emulator.groups.get(created.body.id)!.members.size).toBe(0);
    expect((await control('DELETE', `/users/${second!.id}`)).status).toBe(404);
    expect(goto.emulator.requestLog.size).toBe(logged);
  });

  it('refuses invalid seeds as a SCIM POST would, storing none of the batch', async () => {
    const response = await control('POST', '/users', {
      users: [
        { userName: 'ok@example.com', name: { givenName: 'O', familyName: 'K' } },
        { userName: 'bad@elsewhere.com', name: { givenName: 'B', familyName: 'D' } },
      ],
    });
    expect(response.status).toBe(400);
    expect(response.body.error).toMatch(/not a verified domain/);
    expect(goto.emulator.users.size).toBe(0);
    expect((await control('POST', '/users', { generate: { count: 0 } })).status).toBe(400);
  });

  it('sets faults, latency and per-userName failures', async () => {
    await control('POST', '/faults/next', { count: 1, action: { kind: 'status', status: 500 }, match: { pathPrefix: '/identity' } });
    await control('PUT', '/faults/latency', { ms: 5 });
    await control('PUT', '/faults/user-names/poison@example.com', { status: 503 });
    expect((await control('GET', '/faults')).body).toMatchObject({
      latencyMs: 5,
      rules: [{ action: { kind: 'status', status: 500 }, remaining: 1 }],
      userNames: { 'poison@example.com': { status: 503 } },
    });
    expect((await goto.request('GET', '/identity/v1/Users')).status).toBe(500);
    expect((await control('DELETE', '/faults')).status).toBe(204);
    expect((await control('GET', '/faults')).body).toEqual({ latencyMs: 0, rules: [], userNames: {} });
    expect((await control('POST', '/faults/next', { count: 1, action: { kind: 'explode' } })).status).toBe(400);
  });

  it('sets the rate limit and reports requests and stats', async () => {
    await control('PUT', '/rate-limit', { perSecond: 3 });
    expect((await control('GET', '/rate-limit')).body).toEqual({ perSecond: 3, retryAfterSeconds: 1 });
    const token = await goto.token();
    for (let i = 0; i < 4; i++) await goto.request('GET', '/admin/rest/v1/me', { as: { token } });
    const stats = await control('GET', '/stats?family=admin');
    expect(stats.body).toEqual({ total: 4, peakRequestsPerSecond: 4, countByStatus: { 200: 3, 429: 1 } });
    const requests = await control('GET', '/requests?family=admin&status=429');
    expect(requests.body.entries).toEqual([expect.objectContaining({ path: '/admin/rest/v1/me', status: 429 })]);
    await control('PUT', '/rate-limit', { unthrottled: true });
    expect((await control('GET', '/rate-limit')).body).toBe('unthrottled');
  });

  it('revokes tokens and answers 404 for unknown control paths', async () => {
    const token = await goto.token();
    await control('POST', '/tokens/revoke');
    expect((await goto.request('GET', '/identity/v1/Users', { as: { token } })).status).toBe(401);
    expect((await control('GET', '/nope')).status).toBe(404);
  });
});
