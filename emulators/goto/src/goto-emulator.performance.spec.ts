import { generateSeedUsers } from './directory/seed-users';
import { TestEmulator } from './testing/test-emulator';

/**
 * The emulator must keep up with a 100,000-user benchmark: lookups and deep pages are index reads.
 * Server-side durations from the request log are compared with what one pass over 100,000 users
 * costs (tens of ms), so a scan per request would fail this even on a busy machine.
 */
describe('GoTo emulator at 100,000 users', () => {
  let goto: TestEmulator;
  beforeAll(async () => {
    goto = await TestEmulator.start();
    goto.emulator.seedUsers(generateSeedUsers(100_000));
    await goto.token();
    // Seeding takes about a second on an idle machine; a shared CI machine may be much busier.
  }, 60_000);
  afterAll(() => goto.stop());

  it('answers lookups by id, userName and externalId, and deep pages, in index time', async () => {
    const last = goto.emulator.users.getByUserName('user100000@example.com')!;
    const lookups = [
      `/identity/v1/Users/${last.id}`,
      `/identity/v1/Users?filter=${encodeURIComponent('userName eq "user099999@example.com"')}`,
      `/identity/v1/Users?filter=${encodeURIComponent('externalId eq "ext-099998"')}`,
      '/identity/v1/Users?startIndex=99901&count=100',
      `/admin/rest/v1/accounts/8887380153236031176710/users?offset=99900&pageSize=100`,
    ];
    goto.emulator.requestLog.clear();
    for (let round = 0; round < 20; round++) {
      for (const path of lookups) expect((await goto.request('GET', path)).status).toBe(200);
    }
    const durations = goto.emulator.requestLog.entries().map((entry) => entry.durationMs).sort((a, b) => a - b);
    expect(durations[Math.floor(durations.length / 2)]).toBeLessThan(5);
    const deepPage = await goto.request('GET', '/identity/v1/Users?startIndex=99901&count=100');
    expect(deepPage.body.Resources[99].userName).toBe('user100000@example.com');
  });

  it('deletes and re-pages correctly', async () => {
    const first = goto.emulator.users.getByUserName('user000001@example.com')!;
    expect((await goto.request('DELETE', `/identity/v1/Users/${first.id}`)).status).toBe(204);
    const page = await goto.request('GET', '/identity/v1/Users?startIndex=1&count=1');
    expect(page.body).toMatchObject({ totalResults: 99_999, Resources: [{ userName: 'user000002@example.com' }] });
  });
});
