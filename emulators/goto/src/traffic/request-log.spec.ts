import { TestEmulator } from '../testing/test-emulator';
import { RequestLog, type RequestLogEntry } from './request-log';

const entry = (time: number, status = 200, family: RequestLogEntry['family'] = 'scim'): RequestLogEntry => ({
  time,
  method: 'GET',
  path: '/identity/v1/Users',
  family,
  status,
  durationMs: 1,
});

describe('RequestLog', () => {
  it('computes the peak requests in any 1-second window and counts by status', () => {
    const log = new RequestLog(100);
    [0, 100, 200, 1_150, 1_160, 1_170, 1_180, 2_500].forEach((time, index) => log.record(entry(time, index % 2 ? 429 : 200)));
    log.record(entry(1_100, 200, 'auth'));
    expect(log.peakRequestsPerSecond()).toBe(6);
    expect(log.peakRequestsPerSecond({ family: 'scim' })).toBe(5);
    expect(log.countByStatus({ family: 'scim' })).toEqual({ 200: 4, 429: 4 });
    expect(log.entries({ since: 2_000 })).toHaveLength(1);
  });

  it('keeps at most its limit, dropping the oldest', () => {
    const log = new RequestLog(10);
    for (let time = 0; time < 25; time++) log.record(entry(time));
    expect(log.size).toBeLessThanOrEqual(10);
    expect(log.entries().at(-1)?.time).toBe(24);
  });
});

describe('GoTo emulator: request log', () => {
  let goto: TestEmulator;
  beforeAll(async () => (goto = await TestEmulator.start()));
  afterAll(() => goto.stop());

  it('records every API request with time, method, path, family, status and principal, but not control calls', async () => {
    const before = Date.now();
    await goto.token('admin');
    await goto.request('GET', '/identity/v1/Users?count=1', { as: 'admin' });
    await goto.request('GET', '/admin/rest/v1/me', { as: { token: 'bogus' } });
    await goto.fetch('/nowhere', {});
    await goto.fetch('/_emulator/state', {});
    expect(goto.emulator.requestLog.entries()).toEqual([
      expect.objectContaining({ method: 'POST', path: '/oauth/access_token', family: 'auth', status: 200, principal: 'roster-demo-client' }),
      expect.objectContaining({ method: 'GET', path: '/identity/v1/Users', family: 'scim', status: 200, principal: 'admin@example.com' }),
      expect.objectContaining({ path: '/admin/rest/v1/me', family: 'admin', status: 401 }),
      expect.objectContaining({ path: '/nowhere', family: 'unknown', status: 404 }),
    ]);
    expect(goto.emulator.requestLog.entries()[0]!.time).toBeGreaterThanOrEqual(before);
  });
});
