import { generateSeedUsers } from './directory/seed-users';
import { TestEmulator } from './testing/test-emulator';

/** The emulator must keep up with a 100,000-user benchmark: lookups and pages cost the same at any size. */
describe('GoTo emulator at 100,000 users', () => {
  let goto: TestEmulator;
  beforeAll(async () => {
    goto = await TestEmulator.start();
    goto.emulator.seedUsers(generateSeedUsers(100_000));
  });
  afterAll(() => goto.stop());

  it('answers lookups by id, userName and externalId and deep pages without slowing down', async () => {
    const last = goto.emulator.users.getByUserName('user100000@example.com')!;
    const lookups = [
      `/identity/v1/Users/${last.id}`,
      `/identity/v1/Users?filter=${encodeURIComponent('userName eq "user099999@example.com"')}`,
      `/identity/v1/Users?filter=${encodeURIComponent('externalId eq "ext-099998"')}`,
      '/identity/v1/Users?startIndex=99901&count=100',
    ];
    await goto.token();
    const started = performance.now();
    for (let round = 0; round < 25; round++) {
      for (const path of lookups) expect((await goto.request('GET', path)).status).toBe(200);
    }
    const perRequestMs = (performance.now() - started) / (25 * lookups.length);
    expect(perRequestMs).toBeLessThan(10);
    const deepPage = await goto.request('GET', '/identity/v1/Users?startIndex=99901&count=100');
    expect(deepPage.body.Resources[99].userName).toBe('user100000@example.com');
  });

  it('deletes and re-pages without a full scan per request', async () => {
    const first = goto.emulator.users.getByUserName('user000001@example.com')!;
    expect((await goto.request('DELETE', `/identity/v1/Users/${first.id}`)).status).toBe(204);
    const page = await goto.request('GET', '/identity/v1/Users?startIndex=1&count=1');
    expect(page.body).toMatchObject({ totalResults: 99_999, Resources: [{ userName: 'user000002@example.com' }] });
  });
});
