import { generateSeedUsers } from './directory/seed-users';
import { TestEmulator } from './testing/test-emulator';
it('times', async () => {
  const goto = await TestEmulator.start();
  let t = performance.now();
  goto.emulator.seedUsers(generateSeedUsers(100_000)); console.log('seed', performance.now() - t);
  const last = goto.emulator.users.getByUserName('user100000@example.com')!;
  await goto.token();
  for (const path of ["/admin/rest/v1/me", `/identity/v1/Users/${last.id}`, `/identity/v1/Users?filter=${encodeURIComponent('userName eq "user099999@example.com"')}`, '/identity/v1/Users?startIndex=99901&count=100', '/admin/rest/v1/me']) {
    await goto.request('GET', path);
    t = performance.now();
    for (let i = 0; i < 50; i++) await goto.request('GET', path);
    console.log(path.slice(0, 40), (performance.now() - t) / 50);
  }
  await goto.stop();
});
