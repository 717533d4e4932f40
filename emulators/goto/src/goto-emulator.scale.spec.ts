import { PagedMap } from './directory/paged-map';
import { generateSeedUsers } from './directory/seed-users';
import { TestEmulator } from './testing/test-emulator';

const USERS = 20_000;
const PAGE = 100;
const pad = (n: number) => String(n).padStart(6, '0');

/**
 * The emulator must keep up with a 100,000-user benchmark, so lookups and deep pages are index reads.
 * Checked by what each request touches, not by how long it takes (that is bench/goto-emulator-lookups.ts):
 * no request walks the whole store, and a page reads only its own entries, on any machine.
 */
describe(`GoTo emulator at ${USERS.toLocaleString('en')} users`, () => {
  let goto: TestEmulator;
  beforeAll(async () => {
    goto = await TestEmulator.start();
    goto.emulator.seedUsers(generateSeedUsers(USERS));
    await goto.token();
  });
  afterAll(() => goto.stop());
  afterEach(() => jest.restoreAllMocks());

  it('answers lookups by id, userName and externalId, and deep pages, without walking the store', async () => {
    const last = goto.emulator.users.getByUserName(`user${pad(USERS)}@example.com`)!;
    const walks = jest.spyOn(PagedMap.prototype, 'values');
    const pages = jest.spyOn(PagedMap.prototype, 'page');

    expect((await goto.request('GET', `/identity/v1/Users/${last.id}`)).body.userName).toBe(last.userName);
    const byUserName = await goto.request('GET', `/identity/v1/Users?filter=${encodeURIComponent(`userName eq "user${pad(USERS - 1)}@example.com"`)}`);
    expect(byUserName.body).toMatchObject({ totalResults: 1, Resources: [{ userName: `user${pad(USERS - 1)}@example.com` }] });
    const byExternalId = await goto.request('GET', `/identity/v1/Users?filter=${encodeURIComponent(`externalId eq "ext-${pad(USERS - 2)}"`)}`);
    expect(byExternalId.body).toMatchObject({ totalResults: 1, Resources: [{ externalId: `ext-${pad(USERS - 2)}` }] });
    const deepScim = await goto.request('GET', `/identity/v1/Users?startIndex=${USERS - PAGE + 1}&count=${PAGE}`);
    expect(deepScim.body.Resources).toHaveLength(PAGE);
    expect(deepScim.body.Resources[PAGE - 1].userName).toBe(last.userName);
    const deepAdmin = await goto.request('GET', `/admin/rest/v1/accounts/8887380153236031176710/users?offset=${USERS - PAGE}&pageSize=${PAGE}`);
    expect(deepAdmin.status).toBe(200);

    expect(walks).not.toHaveBeenCalled();
    expect(pages.mock.calls.map(([, count]) => count)).toEqual([PAGE, PAGE]);
  });

  it('deletes and re-pages correctly', async () => {
    const first = goto.emulator.users.getByUserName('user000001@example.com')!;
    expect((await goto.request('DELETE', `/identity/v1/Users/${first.id}`)).status).toBe(204);
    const page = await goto.request('GET', '/identity/v1/Users?startIndex=1&count=1');
    expect(page.body).toMatchObject({ totalResults: USERS - 1, Resources: [{ userName: 'user000002@example.com' }] });
  });
});
