import { DEFAULT_ACCESS_ROLE_ID } from './directory-schemas';
import { DEMO_TENANT } from './emulator-options';
import { EmulatorHttp } from './testing/emulator-http';

describe('directory reads', () => {
  let http: EmulatorHttp;
  beforeAll(async () => {
    http = await EmulatorHttp.start();
  });
  beforeEach(() => http.emulator.reset());
  afterAll(() => http.stop());

  const expectError = async (path: string, status: number, code: string, headers?: Record<string, string>) => {
    const response = await http.get(path, { headers });
    expect({ status: response.status, code: response.body.error?.code }).toEqual({ status, code });
    return response.body.error.message as string;
  };

  describe('GET /users', () => {
    it('pages with $top and a nextLink that carries every original query option', async () => {
      http.emulator.seedUsers(5);
      const pages = await http.followPages('/v1.0/users?$select=id,mail&$top=2');
      expect(pages.map((page) => page.value.length)).toEqual([2, 2, 1]);
      expect(pages[0]['@odata.context']).toBe(`${http.baseUrl}/v1.0/$metadata#users(id,mail)`);
      expect(pages[0]['@odata.nextLink']).toMatch(/\/v1\.0\/users\?\$select=id,mail&\$top=2&\$skiptoken=/);
      expect(pages[2]).not.toHaveProperty('@odata.nextLink');
      expect(Object.keys(pages[0].value[0])).toEqual(['id', 'mail']);
      expect(new Set(pages.flatMap((page) => page.value.map((u: { id: string }) => u.id))).size).toBe(5);
    });

    it('serves 100 users per page by default, with the documented default properties', async () => {
      http.emulator.seedUsers(150);
      const [first, second] = await http.followPages('/v1.0/users');
      expect([first.value.length, second.value.length]).toEqual([100, 50]);
      expect(Object.keys(first.value[0]).sort()).toEqual(
        ['businessPhones', 'displayName', 'givenName', 'id', 'jobTitle', 'mail', 'mobilePhone', 'officeLocation', 'preferredLanguage', 'surname', 'userPrincipalName'].sort(),
      );
      expect(first.value[0]).not.toHaveProperty('accountEnabled');
    });

    it('rejects page sizes outside 1..999', async () => {
      expect(await expectError('/v1.0/users?$top=1000', 400, 'Request_BadRequest')).toBe(
        "Invalid page size specified: '1000'. Must be between 1 and 999 inclusive.",
      );
      await expectError('/v1.0/users?$top=0', 400, 'Request_BadRequest');
      await expectError('/v1.0/users?$top=abc', 400, 'Request_BadRequest');
    });

    it('rejects unknown $select properties, and collection-only-unsupported ones with 501', async () => {
      expect(await expectError('/v1.0/users?$select=id,favouriteColour', 400, 'Request_BadRequest')).toBe(
        "Could not find a property named 'favouriteColour' on type 'microsoft.graph.user'.",
      );
      await expectError('/v1.0/users?$select=id,skills', 501, 'NotImplemented');
      await expectError('/v1.0/users?$skip=10', 400, 'Request_UnsupportedQuery');
    });

    it('filters on supported properties and refuses the rest', async () => {
      http.emulator.addUser({ userPrincipalName: 'ada@contoso.com', department: 'R&D', accountEnabled: false });
      http.emulator.addUser({ userPrincipalName: 'adam@contoso.com', department: 'Sales' });
      http.emulator.addUser({ userPrincipalName: 'bob@contoso.com', department: 'R&D' });
      const names = async (filter: string) =>
        (await http.get(`/v1.0/users?$select=userPrincipalName&$filter=${encodeURIComponent(filter)}`)).body.value
          .map((u: { userPrincipalName: string }) => u.userPrincipalName)
          .sort();

      expect(await names("startswith(userPrincipalName,'ada')")).toEqual(['ada@contoso.com', 'adam@contoso.com']);
      expect(await names("department eq 'r&d' and accountEnabled eq true")).toEqual(['bob@contoso.com']);
      expect(await names("userPrincipalName in ('ADA@contoso.com', 'bob@contoso.com')")).toEqual(['ada@contoso.com', 'bob@contoso.com']);
      await expectError(`/v1.0/users?$filter=${encodeURIComponent("businessPhones eq '1'")}`, 400, 'Request_UnsupportedQuery');
      await expectError(`/v1.0/users?$filter=${encodeURIComponent("department ne 'Sales'")}`, 400, 'Request_UnsupportedQuery');
      await expectError(`/v1.0/users?$filter=${encodeURIComponent("department eq")}`, 400, 'Request_BadRequest');
    });

    it('counts with ConsistencyLevel: eventual, which also allows ne', async () => {
      http.emulator.seedUsers(7);
      const { body } = await http.get(`/v1.0/users?$count=true&$top=2&$filter=${encodeURIComponent("department ne 'Sales'")}`, {
        headers: { ConsistencyLevel: 'eventual' },
      });
      expect(body['@odata.count']).toBe(5); // serials 1..7 cycle through 5 departments: two are Sales
      expect(body.value).toHaveLength(2);
      await expectError('/v1.0/users?$count=true', 400, 'Request_BadRequest');
    });

    it('hides soft-deleted users and 404s them by id', async () => {
      const { id } = http.emulator.addUser({ userPrincipalName: 'gone@contoso.com' });
      http.emulator.softDeleteUser(id);
      expect((await http.get('/v1.0/users')).body.value).toEqual([]);
      expect(await expectError(`/v1.0/users/${id}`, 404, 'Request_ResourceNotFound')).toBe(
        `Resource '${id}' does not exist or one of its queried reference-property objects are not present.`,
      );
    });
  });

  it('reads one user by id or userPrincipalName, with $select', async () => {
    const { id } = http.emulator.addUser({ userPrincipalName: 'ada@contoso.com', employeeId: 'E1' });
    const { body } = await http.get('/v1.0/users/ADA@contoso.com?$select=employeeId,accountEnabled');
    expect(body).toEqual({
      '@odata.context': `${http.baseUrl}/v1.0/$metadata#users(id,employeeId,accountEnabled)/$entity`,
      id,
      employeeId: 'E1',
      accountEnabled: true,
    });
  });

  it('lists direct and transitive group members with their @odata.type', async () => {
    const [ada, bob] = http.emulator.seedUsers(2);
    const outer = http.emulator.addGroup({ displayName: 'Outer' });
    const inner = http.emulator.addGroup({ displayName: 'Inner' });
    http.emulator.addGroupMember(outer.id, ada);
    http.emulator.addGroupMember(outer.id, inner.id);
    http.emulator.addGroupMember(inner.id, bob);

    const direct = (await http.get(`/v1.0/groups/${outer.id}/members?$select=id,displayName`)).body;
    expect(direct['@odata.context']).toBe(`${http.baseUrl}/v1.0/$metadata#directoryObjects(id,displayName)`);
    expect(direct.value.map((m: { [k: string]: string }) => [m['@odata.type'], m.id])).toEqual([
      ['#microsoft.graph.user', ada],
      ['#microsoft.graph.group', inner.id],
    ]);
    const transitive = await http.followPages(`/v1.0/groups/${outer.id}/transitiveMembers?$top=1`);
    expect(transitive.flatMap((page) => page.value.map((m: { id: string }) => m.id))).toEqual([ada, inner.id, bob]);
    await expectError(`/v1.0/groups/${outer.id}/members?$filter=${encodeURIComponent("id eq 'x'")}`, 400, 'Request_UnsupportedQuery');
    await expectError('/v1.0/groups/4a9f3a43-5d3b-4c5e-8f3e-2b1c0d9e8f7a/members', 404, 'Request_ResourceNotFound');
  });

  it('lists app-role assignments of the service principal, users and groups, Default Access included', async () => {
    const [ada, bob] = http.emulator.seedUsers(2);
    const team = http.emulator.addGroup({ displayName: 'Sales Team' });
    http.emulator.assignAppRole({ principalId: ada, appRoleId: DEMO_TENANT.userRoleId });
    http.emulator.assignAppRole({ principalId: team.id });
    const bobs = http.emulator.assignAppRole({ principalId: bob });
    http.emulator.softDeleteUser(bob);

    const path = `/v1.0/servicePrincipals/${DEMO_TENANT.servicePrincipalId}/appRoleAssignedTo`;
    const { body } = await http.get(path);
    expect(body['@odata.context']).toBe(`${http.baseUrl}/v1.0/$metadata#servicePrincipals('${DEMO_TENANT.servicePrincipalId}')/appRoleAssignedTo`);
    expect(body.value).toEqual([
      expect.objectContaining({ principalId: ada, principalType: 'User', appRoleId: DEMO_TENANT.userRoleId, resourceDisplayName: 'GoToMeeting' }),
      expect.objectContaining({ principalId: team.id, principalType: 'Group', appRoleId: DEFAULT_ACCESS_ROLE_ID, principalDisplayName: 'Sales Team' }),
    ]);
    expect(body.value[0].id).toMatch(/^[A-Za-z0-9_-]{43}$/);

    http.emulator.restoreUser(bob);
    const filtered = await http.get(`${path}?$filter=${encodeURIComponent("startswith(principalDisplayName,'Sales')")}`);
    expect(filtered.body.value.map((a: { principalId: string }) => a.principalId)).toEqual([team.id]);
    expect((await http.get(path)).body.value.map((a: { id: string }) => a.id)).toContain(bobs.id);
    await expectError(`${path}?$filter=${encodeURIComponent(`principalId eq '${ada}'`)}`, 400, 'Request_UnsupportedQuery');
  });

  it('reads the service principal by id or appId', async () => {
    const byId = await http.get(`/v1.0/servicePrincipals/${DEMO_TENANT.servicePrincipalId}?$select=appRoles`);
    expect(byId.body.appRoles).toEqual([expect.objectContaining({ id: DEMO_TENANT.userRoleId, value: 'User', isEnabled: true })]);
    const byAppId = await http.get(`/v1.0/servicePrincipals(appId='${DEMO_TENANT.appId}')`);
    expect(byAppId.body).toMatchObject({ id: DEMO_TENANT.servicePrincipalId, displayName: 'GoToMeeting' });
  });

  it('answers unknown segments and methods like Graph', async () => {
    await expectError('/v1.0/widgets', 400, 'BadRequest');
    const post = await http.request('POST', '/v1.0/users', { body: {} });
    expect(post.status).toBe(405);
  });
});

describe('directory reads at 100,000 users', () => {
  // Seeded before the first request: seeding blocks this process for seconds on a busy machine, and a
  // kept-alive connection from an earlier request could be closed under the next one meanwhile.
  let http: EmulatorHttp;
  beforeAll(async () => {
    http = await EmulatorHttp.start();
    http.emulator.seedUsers(100_000);
  }, 30_000);
  afterAll(() => http.stop());

  it('holds 100,000 users and pages deep into them by cursor', async () => {
    const first = await http.get('/v1.0/users?$select=id,employeeId&$top=999');
    expect(first.body.value).toHaveLength(999);
    const second = await http.get(first.body['@odata.nextLink']);
    expect(second.body.value[0].employeeId).toBe('E001000');
    const found = await http.get(`/v1.0/users?$select=employeeId&$filter=${encodeURIComponent("employeeId eq 'E099999'")}`);
    expect(found.body.value).toEqual([expect.objectContaining({ employeeId: 'E099999' })]);
  });
});
