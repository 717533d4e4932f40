import { TestEmulator } from '../testing/test-emulator';
import { RateLimiter } from './rate-limiter';

describe('RateLimiter', () => {
  it('admits N per sliding second, per key', () => {
    const limiter = new RateLimiter({ perSecond: 3, retryAfterSeconds: 1 });
    const at = (ms: number, key = 'a') => limiter.admit(key, ms).admitted;
    expect([at(0), at(100), at(200), at(300)]).toEqual([true, true, true, false]);
    expect(at(300, 'b')).toBe(true);
    // Sliding, not fixed: at 999 ms the window still holds three; at 1000 ms the first has left.
    expect([at(999), at(1000), at(1001)]).toEqual([false, true, false]);
  });
});

describe('GoTo emulator: rate limiting', () => {
  let goto: TestEmulator;
  // The window slides on this clock, moved only by the tests: however slowly requests arrive, they
  // arrive within the same second unless a test moves it.
  let clock = Date.now();
  afterEach(() => goto.stop());

  it('answers 429 with Retry-After after 10 requests in a second (the documented default), per API family', async () => {
    goto = await TestEmulator.start({ rateLimit: { perSecond: 10, retryAfterSeconds: 1 }, clock: () => clock });
    const token = await goto.token('client');
    const responses = await Promise.all(
      Array.from({ length: 12 }, () => goto.request('GET', '/identity/v1/Users', { as: { token } })),
    );
    const limited = responses.filter((response) => response.status === 429);
    expect(responses.filter((response) => response.status === 200)).toHaveLength(10);
    expect(limited).toHaveLength(2);
    expect(limited[0]!.headers.get('retry-after')).toBe('1');
    expect(limited[0]!.body).toMatchObject({ schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'], status: '429' });
    // The admin API has its own budget for the same client.
    expect((await goto.request('GET', '/admin/rest/v1/me', { as: { token } })).status).toBe(200);
    expect(goto.emulator.requestLog.countByStatus({ family: 'scim' })).toEqual({ 200: 10, 429: 2 });
  });

  it('counts per OAuth client and lets requests through again after the window', async () => {
    goto = await TestEmulator.start({ rateLimit: { perSecond: 2, retryAfterSeconds: null }, clock: () => clock });
    const client = await goto.token('client');
    const admin = await goto.token('admin');
    const call = (token: string) => goto.request('GET', '/admin/rest/v1/me', { as: { token } });
    expect([(await call(client)).status, (await call(client)).status]).toEqual([200, 200]);
    const limited = await call(client);
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBeNull();
    // The admin's token was issued to the same OAuth client (direct login names it), so it shares the budget.
    expect((await call(admin)).status).toBe(429);
    clock += 999;
    expect((await call(admin)).status).toBe(429);
    clock += 1;
    expect((await call(admin)).status).toBe(200);
  });

  it('rate-limits the token endpoint too, and can be switched off at run time', async () => {
    goto = await TestEmulator.start({ rateLimit: { perSecond: 1, retryAfterSeconds: 1 }, clock: () => clock });
    await goto.token('client');
    await expect(goto.token('admin')).rejects.toThrow(/429/);
    goto.emulator.rateLimit = 'unthrottled';
    await expect(goto.token('admin')).resolves.toEqual(expect.any(String));
  });
});
