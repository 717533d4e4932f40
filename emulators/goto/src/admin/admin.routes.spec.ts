import { generateSeedUsers } from '../directory/seed-users';
import { TestEmulator, scimUserBody } from '../testing/test-emulator';

const ACCOUNT = '8887380153236031176710';
const LICENSE = '4730126558413921284';
const ACCOUNT_PATH = `/admin/rest/v1/accounts/${ACCOUNT}`;

describe('GoTo emulator: Admin REST API', () => {
  let goto: TestEmulator;
  beforeAll(async () => (goto = await TestEmulator.start()));
  afterAll(() => goto.stop());
  beforeEach(() => goto.reset());

  it('GET /me names the account both ways (accountKey and accounts[])', async () => {
    const admin = await goto.request('GET', '/admin/rest/v1/me', { as: 'admin' });
    expect(admin.body).toMatchObject({
      email: 'admin@example.com',
      adminRoles: ['SUPER_USER'],
      accountKey: ACCOUNT,
      accounts: [{ key: ACCOUNT, name: 'Example Organisation' }],
    });
    expect((await goto.request('GET', '/admin/rest/v1/me', { as: 'member' })).body.adminRoles).toEqual([]);
  });

  it('lists the users SCIM created, paged by pageSize/offset in `results`', async () => {
    const { body: created } = await goto.request('POST', '/identity/v1/Users', { body: scimUserBody('grace@example.com') });
    goto.emulator.seedUsers(generateSeedUsers(30));
    const first = await goto.request('GET', `${ACCOUNT_PATH}/users?pageSize=20&offset=0`);
    expect(first.status).toBe(200);
    expect(first.body.results).toHaveLength(20);
    expect(first.body.results[0]).toEqual({
      key: created.id,
      email: 'grace@example.com',
      firstName: 'Grace',
      lastName: 'Hopper',
      adminRoles: [],
      licenseKeys: [],
    });
    expect(first.body).not.toHaveProperty('total');
    expect((await goto.request('GET', `${ACCOUNT_PATH}/users?pageSize=20&offset=20`)).body.results).toHaveLength(11);
    const byEmail = await goto.request('GET', `${ACCOUNT_PATH}/users?filter=${encodeURIComponent('email eq "grace@example.com"')}`);
    expect(byEmail.body.results.map((user: { key: string }) => user.key)).toEqual([created.id]);
    expect((await goto.request('GET', `${ACCOUNT_PATH}/users?offset=-1`)).status).toBe(400);
  });

  it('lists licenses and assigns them with PUT licenseKeys', async () => {
    const [user] = goto.emulator.seedUsers(generateSeedUsers(1));
    const licenses = await goto.request('GET', `${ACCOUNT_PATH}/licenses`);
    expect(licenses.body).toEqual({ results: [{ key: LICENSE, description: 'GoToMeeting Business', products: ['G2M'] }] });
    const put = await goto.request('PUT', `${ACCOUNT_PATH}/users/${user!.id}`, { body: { licenseKeys: [LICENSE] }, contentType: 'application/json' });
    expect(put.status).toBe(204);
    expect(goto.emulator.users.get(user!.id)?.licenseKeys).toEqual([LICENSE]);
  });

  it('changes identity fields on the same user SCIM sees, with the same validation', async () => {
    const [user] = goto.emulator.seedUsers(generateSeedUsers(1));
    const path = `${ACCOUNT_PATH}/users/${user!.id}`;
    await goto.request('PUT', path, { body: { firstName: 'Ada', email: 'ada@example.com' }, contentType: 'application/json' });
    const scim = await goto.request('GET', `/identity/v1/Users/${user!.id}`);
    expect(scim.body).toMatchObject({ userName: 'ada@example.com', name: { givenName: 'Ada', familyName: 'Family000001' } });
    const badDomain = await goto.request('PUT', path, { body: { email: 'ada@gmail.com' }, contentType: 'application/json' });
    expect(badDomain.status).toBe(400);
  });

  it.each([
    ['an unknown license key', { licenseKeys: ['1'] }, /unknown license key/],
    ['a license key that lost precision as a JSON number', { licenseKeys: [Number(LICENSE)] }, /lost precision/],
    ['an unsupported field', { status: 'suspended' }, /unsupported field 'status'/],
  ])('refuses %s (400, Admin error body)', async (_case, body, description) => {
    const [user] = goto.emulator.seedUsers(generateSeedUsers(1));
    const response = await goto.request('PUT', `${ACCOUNT_PATH}/users/${user!.id}`, { body, contentType: 'application/json' });
    expect(response.status).toBe(400);
    expect(response.body).toEqual({ errorCode: 'BAD_REQUEST', message: 'Bad Request', description: expect.stringMatching(description) });
  });

  it('answers 404 for another account or an unknown user, 403 for a non-admin', async () => {
    expect((await goto.request('GET', '/admin/rest/v1/accounts/1/users')).status).toBe(404);
    expect((await goto.request('PUT', `${ACCOUNT_PATH}/users/1`, { body: {}, contentType: 'application/json' })).status).toBe(404);
    expect((await goto.request('GET', `${ACCOUNT_PATH}/licenses`, { as: 'member' })).status).toBe(403);
  });
});

describe('GoTo emulator: Admin REST options for inferred behaviour', () => {
  let goto: TestEmulator;
  beforeAll(
    async () => (goto = await TestEmulator.start({ adminErrorShape: 'errors', adminListTotalField: 'total', meShape: 'accounts-only' })),
  );
  afterAll(() => goto.stop());

  it('uses the chosen error shape, total field and /me shape', async () => {
    const error = await goto.request('GET', '/admin/rest/v1/accounts/1/users');
    expect(error.body).toEqual({ errors: [{ code: 'NOT_FOUND', message: "account '1' not found" }] });
    expect((await goto.request('GET', `${ACCOUNT_PATH}/users`)).body).toEqual({ results: [], total: 0 });
    expect((await goto.request('GET', '/admin/rest/v1/me')).body).not.toHaveProperty('accountKey');
  });
});

describe('GoTo emulator without the Admin REST API (SCIM and OAuth only)', () => {
  let goto: TestEmulator;
  beforeAll(async () => (goto = await TestEmulator.start({ adminApi: false })));
  afterAll(() => goto.stop());

  it('answers 404 on every Admin path, with or without a token, and serves SCIM and OAuth as usual', async () => {
    for (const path of ['/admin/rest/v1/me', `${ACCOUNT_PATH}/licenses`, `${ACCOUNT_PATH}/users`]) {
      expect((await goto.request('GET', path, { as: 'admin' })).status).toBe(404);
      expect((await goto.request('GET', path, { as: null })).status).toBe(404);
    }
    expect((await goto.request('GET', '/identity/v1/Users', { as: 'admin' })).status).toBe(200);
  });
});

describe('GoTo emulator: license seats', () => {
  const SEATED = '4730126558413921290';
  let goto: TestEmulator;
  beforeAll(
    async () =>
      (goto = await TestEmulator.start({
        licenses: [{ key: SEATED, description: 'GoToMeeting Business', products: ['G2M'], seats: 1 }],
      })),
  );
  afterAll(() => goto.stop());
  beforeEach(() => goto.reset());

  const assign = (userId: string, licenseKeys: string[]) =>
    goto.request('PUT', `${ACCOUNT_PATH}/users/${userId}`, { body: { licenseKeys }, contentType: 'application/json' });

  it('lists seats in use and refuses a seat beyond the total with 409, assigning nothing', async () => {
    const [ada, grace] = goto.emulator.seedUsers(generateSeedUsers(2));
    expect((await assign(ada!.id, [SEATED])).status).toBe(204);
    expect((await goto.request('GET', `${ACCOUNT_PATH}/licenses`)).body.results).toEqual([
      { key: SEATED, description: 'GoToMeeting Business', products: ['G2M'], seats: { total: 1, used: 1 } },
    ]);
    const refused = await assign(grace!.id, [SEATED]);
    expect(refused.status).toBe(409);
    expect(refused.body.description).toBe(`no seats left on license '${SEATED}' (1 of 1 in use)`);
    expect(goto.emulator.users.get(grace!.id)?.licenseKeys).toEqual([]);
    // Keeping a license one holds needs no free seat; giving it up frees the seat.
    expect((await assign(ada!.id, [SEATED])).status).toBe(204);
    expect((await assign(ada!.id, [])).status).toBe(204);
    expect((await assign(grace!.id, [SEATED])).status).toBe(204);
  });

  it('frees the seat of a user deleted over SCIM', async () => {
    const [ada, grace] = goto.emulator.seedUsers(generateSeedUsers(2));
    await assign(ada!.id, [SEATED]);
    expect((await goto.request('DELETE', `/identity/v1/Users/${ada!.id}`)).status).toBeLessThan(300);
    expect((await assign(grace!.id, [SEATED])).status).toBe(204);
  });
});
