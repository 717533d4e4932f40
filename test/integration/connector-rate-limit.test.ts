import IORedis from 'ioredis';
import { TEST_REDIS_URL, aCommand, requestSummary, waitFor, type RunningService } from '@roster/testing';
import { ConnectorStack } from '../support/connector-stack';
import { RedisRateLimiter } from '../../services/connector/src/throttling/redis-rate-limiter';

const range = (n: number) => Array.from({ length: n }, (_, i) => i);

describe('shared GoTo rate limit in Redis', () => {
  const connections: IORedis[] = [];
  const key = `rt-limiter-${Date.now()}`;
  const keys = { schedule: `${key}:schedule`, pause: `${key}:pause` };

  afterAll(async () => {
    await connections[0]?.del(keys.schedule, keys.pause);
    connections.forEach((c) => c.disconnect());
  });

  const limiters = (count: number, limit: number) =>
    range(count).map(() => {
      const redis = new IORedis(TEST_REDIS_URL);
      connections.push(redis);
      return new RedisRateLimiter(redis, limit, 1000, 0);
    });

  it('admits exactly the limit per second across processes, however many callers race for it', async () => {
    const replicas = limiters(3, 20);
    const admitted: number[] = [];
    const until = Date.now() + 2500;
    await Promise.all(
      range(30).map(async (i) => {
        // Admission times on Redis' clock: what callers see later depends on how busy the machine is.
        while (Date.now() < until) admitted.push(await replicas[i % 3]!.acquire(keys));
      }),
    );
    admitted.sort((a, b) => a - b);
    // Admission k+20 never comes within a second of admission k.
    const tightest = Math.min(...admitted.slice(20).map((t, k) => t - admitted[k]!));
    expect(tightest).toBeGreaterThanOrEqual(1000);
    expect(admitted.length).toBeGreaterThanOrEqual(48);
  });

  it('holds every replica while a 429 pause lasts', async () => {
    const [a, b] = limiters(2, 100);
    await a!.pause(keys, 600);
    const started = Date.now();
    await b!.acquire(keys);
    expect(Date.now() - started).toBeGreaterThanOrEqual(550);
  });
});

describe('connector: polite under GoTo rate limits', () => {
  // The emulator and two replicas share this process, and other suites the two cores: requests wait
  // longer between admission and arrival than in a deployment, so the guard is widened to match.
  const stack = new ConnectorStack({
    goto: { rateLimit: { perSecond: 6, retryAfterSeconds: 1 } },
    env: { GOTO_RATE_LIMIT_PER_SECOND: '10', GOTO_RATE_LIMIT_GUARD_MS: '150' },
  });
  const goto = stack.goto;
  let replica: RunningService;

  beforeAll(async () => {
    await stack.start();
    replica = await stack.startConnector();
  });
  afterAll(() => stack.stop(replica));

  it('never sends more than the configured rate during a 429 storm, and finishes every command', async () => {
    const since = Date.now();
    await stack.push(range(40).map((n) => aCommand({ n, run: 'storm' })));
    await stack.settled('the storm to pass', 45_000);

    const summary = requestSummary(goto, since);
    expect(summary.rateLimited).toBeGreaterThan(0);
    expect(summary.peakScimPerSecond).toBeLessThanOrEqual(10);
    expect(goto.users.size).toBe(40);
    expect(await stack.deadLetters()).toEqual([]);
  });

  it('keeps to the limit without 429s after the first second, and uses most of it', async () => {
    goto.rateLimit = { perSecond: 10, retryAfterSeconds: 1 };
    goto.requestLog.clear();
    await new Promise((resolve) => setTimeout(resolve, 1100));
    await stack.push(range(50).map((n) => aCommand({ n, run: 'steady' })));
    await waitFor(() => goto.users.size === 90, { what: '50 more accounts', timeoutMs: 20_000 });

    const scim = goto.requestLog.entries({ family: 'scim' });
    const first = scim[0]!.time;
    expect(scim.filter((e) => e.status === 429 && e.time >= first + 1000)).toEqual([]);
    expect(goto.requestLog.peakRequestsPerSecond({ family: 'scim' })).toBeLessThanOrEqual(10);
    const rate = (scim.length - 1) / ((scim.at(-1)!.time - first) / 1000);
    // The most the guard allows is 10 / 1.15 s ≈ 8.7.
    expect(rate).toBeGreaterThanOrEqual(8);
  });
});
