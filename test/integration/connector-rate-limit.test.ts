import IORedis from 'ioredis';
import { TEST_REDIS_URL, aCommand, requestSummary, waitFor, type RunningService } from '@roster/testing';
import { ConnectorStack } from '../support/connector-stack';
import { RedisRateLimiter, type RateLimitKeys } from '../../services/connector/src/throttling/redis-rate-limiter';

/*
 * Every time here is an admission time on Redis' clock, as the limiter decides it in one atomic step:
 * how late callers or requests run on a busy machine cannot change it, so these checks give the same
 * answer on an idle and on a loaded one. How much of the budget the connector uses is a speed figure:
 * bench/connector-throughput.ts reports it.
 */
const range = (n: number) => Array.from({ length: n }, (_, i) => i);
/** GoTo's documented limit is per second (reference/goto-api.md §5). */
const GOTO_WINDOW_MS = 1000;

/** The smallest span (ms) of `limit + 1` consecutive admissions: at least the window when the limit is kept. */
function tightestSpan(times: number[], limit: number): number {
  const sorted = [...times].sort((a, b) => a - b);
  return Math.min(...sorted.slice(limit).map((t, k) => t - sorted[k]!));
}

describe('shared GoTo rate limit in Redis', () => {
  const connections: IORedis[] = [];
  let run = 0;
  let keys: RateLimitKeys;
  beforeEach(() => {
    const key = `rt-limiter-${process.pid}-${Date.now()}-${++run}`;
    keys = { schedule: `${key}:schedule`, pause: `${key}:pause` };
  });
  afterEach(() => connections[0]?.del(keys.schedule, keys.pause));
  afterAll(() => connections.forEach((c) => c.disconnect()));

  const limiters = (count: number, limit: number) =>
    range(count).map(() => {
      const redis = new IORedis(TEST_REDIS_URL);
      connections.push(redis);
      return new RedisRateLimiter(redis, limit, GOTO_WINDOW_MS, 0);
    });

  it('admits at most the limit in any window across processes, however many callers race for it', async () => {
    const replicas = limiters(3, 20);
    const admitted: number[] = [];
    // Runs until enough admissions were seen, never for a fixed time: a busy machine only takes longer.
    await Promise.all(
      range(30).map(async (i) => {
        while (admitted.length < 60) admitted.push(await replicas[i % 3]!.acquire(keys));
      }),
    );
    expect(tightestSpan(admitted, 20)).toBeGreaterThanOrEqual(GOTO_WINDOW_MS);
  });

  it('holds every replica while a 429 pause lasts', async () => {
    const [a, b] = limiters(2, 100);
    const pausedUntil = await a!.pause(keys, 600);
    expect(await b!.acquire(keys)).toBeGreaterThanOrEqual(pausedUntil);
  });

  it('tells every replica of a pause on its channel: slots a busy one had booked ahead are not used', async () => {
    const channel = `${keys.schedule}:pauses`;
    const [a, b] = range(2).map(() => {
      const redis = new IORedis(TEST_REDIS_URL);
      connections.push(redis);
      // Blocks of up to 100 slots, each usable up to 50 ms late.
      return new RedisRateLimiter(redis, 1000, GOTO_WINDOW_MS, 0, { lateMs: 50, pauseChannel: channel });
    });
    const subscriber = new IORedis(TEST_REDIS_URL);
    connections.push(subscriber);
    const heard = new Promise<void>((resolve) =>
      subscriber.on('message', (_channel: string, message: string) => {
        b!.paused(JSON.parse(message));
        resolve();
      }),
    );
    await subscriber.subscribe(channel);
    // Busy, so its last booking took more slots than were left to use.
    await Promise.all(range(300).map(() => b!.acquire(keys)));
    const pausedUntil = await a!.pause(keys, 600);
    await heard;
    expect(await b!.acquire(keys)).toBeGreaterThanOrEqual(pausedUntil);
  });
});

describe('connector: polite under GoTo rate limits', () => {
  const LIMIT = 10;
  const stack = new ConnectorStack({
    goto: { rateLimit: { perSecond: 6, retryAfterSeconds: 1 } },
    env: { GOTO_RATE_LIMIT_PER_SECOND: String(LIMIT), GOTO_RATE_LIMIT_GUARD_MS: '150' },
  });
  const goto = stack.goto;
  let replica: RunningService;
  /** What both replicas' limiters decided, on Redis' clock. */
  const admissions: { key: string; at: number }[] = [];
  const pauses: { key: string; from: number; until: number }[] = [];

  beforeAll(async () => {
    const { acquire, pause } = RedisRateLimiter.prototype;
    jest.spyOn(RedisRateLimiter.prototype, 'acquire').mockImplementation(async function (this: RedisRateLimiter, keys) {
      const at = await acquire.call(this, keys);
      admissions.push({ key: keys.schedule, at });
      return at;
    });
    jest.spyOn(RedisRateLimiter.prototype, 'pause').mockImplementation(async function (this: RedisRateLimiter, keys, ms) {
      const until = await pause.call(this, keys, ms);
      // A pause that did not move the end was already running at least this long.
      pauses.push({ key: keys.schedule, from: until - ms, until });
      return until;
    });
    await stack.start();
    replica = await stack.startConnector();
  });
  afterAll(async () => {
    await stack.stop(replica);
    jest.restoreAllMocks();
  });

  const scimAdmissions = () => admissions.filter((a) => a.key.endsWith(':rate:scim')).map((a) => a.at);

  it('keeps both replicas within the limit during a 429 storm, waits out every Retry-After, and finishes every command', async () => {
    const since = Date.now();
    // One certain 429, however slowly a busy machine sends; the emulator's own 6/s limit adds more.
    goto.faults.failNext(1, { kind: 'status', status: 429, headers: { 'retry-after': '1' } }, { method: 'POST' });
    await stack.push(range(40).map((n) => aCommand({ n, run: 'storm' })));
    await stack.settled('the storm to pass', 45_000);

    expect(goto.users.size).toBe(40);
    expect(await stack.deadLetters()).toEqual([]);
    expect(requestSummary(goto, since).rateLimited).toBeGreaterThan(0);
    const scim = scimAdmissions();
    expect(tightestSpan(scim, LIMIT)).toBeGreaterThanOrEqual(GOTO_WINDOW_MS);
    const scimPauses = pauses.filter((p) => p.key.endsWith(':rate:scim'));
    expect(scimPauses.length).toBeGreaterThan(0);
    expect(scim.filter((at) => scimPauses.some((p) => at >= p.from && at < p.until))).toEqual([]);
  });

  it('keeps within the limit at GoTo\'s own rate, 429s or not, and finishes every command', async () => {
    goto.rateLimit = { perSecond: LIMIT, retryAfterSeconds: 1 };
    admissions.length = 0;
    goto.requestLog.clear();
    await stack.push(range(50).map((n) => aCommand({ n, run: 'steady' })));
    await waitFor(() => goto.users.size === 90, { what: '50 more accounts', timeoutMs: 45_000 });
    await stack.settled();

    expect(await stack.deadLetters()).toEqual([]);
    const scim = scimAdmissions();
    // Every SCIM request GoTo saw was admitted by the limiter, so the spacing below covers them all.
    expect(scim.length).toBe(goto.requestLog.entries({ family: 'scim' }).length);
    expect(tightestSpan(scim, LIMIT)).toBeGreaterThanOrEqual(GOTO_WINDOW_MS);
  });
});
