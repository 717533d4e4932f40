import type { SyncProgress } from '@roster/contracts';
import { DEMO_PRINCIPALS } from '@roster/goto-emulator';
import { TEST_APP_ROLE, waitFor } from '@roster/testing';
import { AdminStack } from '../support/admin-stack';

const JOB = 'gotomeeting';
const USERS = 80;
const RATE = 20;

/** Server-sent events of a stream, parsed as they arrive, until `done` says enough or the stream ends. */
async function readEvents(url: string, key: string, done: (p: SyncProgress) => boolean, gone: AbortSignal): Promise<{ type: string | null; events: SyncProgress[] }> {
  const res = await fetch(url, { headers: { authorization: `Bearer ${key}` }, signal: gone });
  const events: SyncProgress[] = [];
  const decoder = new TextDecoder();
  let pending = '';
  try {
    for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
      pending += decoder.decode(chunk, { stream: true });
      const blocks = pending.split('\n\n');
      pending = blocks.pop()!;
      for (const block of blocks) {
        const data = block.split('\n').find((l) => l.startsWith('data: '));
        if (!block.startsWith('event: progress') || !data) continue;
        events.push(JSON.parse(data.slice('data: '.length)) as SyncProgress);
        if (done(events.at(-1)!)) return { type: res.headers.get('content-type'), events };
      }
    }
  } catch (error) {
    if (!gone.aborted) throw error;
  }
  return { type: res.headers.get('content-type'), events };
}

/**
 * A job's progress bar follows an initial sync of 80 users against a GoTo that allows 20 requests a
 * second, to 100%: read from the provisioning log, through the admin API, as JSON and as server-sent events.
 */
describe('sync progress', () => {
  const stack = new AdminStack({ rateLimit: { perSecond: RATE, retryAfterSeconds: 1 } });
  beforeAll(async () => {
    // The default job from the environment, which starts on (a job made through POST /jobs starts paused).
    await stack.start({ GOTO_RATE_LIMIT_PER_SECOND: String(RATE) }, (p) => ({
      GOTO_AUTH_URL: p.goto.endpoints.authUrl,
      GOTO_SCIM_URL: p.goto.endpoints.scimUrl,
      GOTO_ADMIN_URL: p.goto.endpoints.adminUrl,
      GOTO_CLIENT_ID: DEMO_PRINCIPALS.client.clientId,
      GOTO_CLIENT_SECRET: DEMO_PRINCIPALS.client.clientSecret,
      GOTO_RATE_LIMIT_PER_SECOND: String(RATE),
    }));
  }, 90_000);
  afterAll(() => stack.stop());

  const progress = async () => {
    const { status, body } = await stack.call<SyncProgress>('GET', `/jobs/${JOB}/sync-progress`, undefined, stack.readerKey);
    if (status !== 200) throw new Error(`sync-progress: ${status} ${JSON.stringify(body)}`);
    return body;
  };
  const finished = (p: SyncProgress) => p.steadyState && p.last?.kind === 'initial' && p.last.processed === USERS;

  it('counts, estimates and pushes the initial cycle of a directory until it is done', async () => {
    const p = stack.pipeline;
    // The empty directory's initial cycle has run; fill the directory behind the watcher's back and
    // make it start over, so the next cycle is an initial one with every user.
    await waitFor(async () => (await progress()).steadyState, { what: 'the first (empty) cycle done' });
    await p.env.query(
      `INSERT INTO demo_user (id, user_principal_name, account_enabled, attributes)
       SELECT 'u' || i, 'user' || i || '@example.com', true, jsonb_build_object('givenName', 'Given' || i, 'surname', 'Sur' || i)
         FROM generate_series(1, $1) AS i`,
      [USERS],
    );
    await p.env.query(`INSERT INTO demo_assignment SELECT 'User', 'u' || i, $2 FROM generate_series(1, $1) AS i`, [USERS, TEST_APP_ROLE]);
    await p.env.query(`UPDATE watch_cursor SET cursor = NULL, initial_completed_at = NULL`);

    const gone = new AbortController();
    const pushed = readEvents(`${stack.api.url}/jobs/${JOB}/sync-progress/events`, stack.readerKey, finished, gone.signal);
    let stream: Awaited<typeof pushed>;
    const seen: SyncProgress[] = [];
    try {
      const polling = waitFor(
        async () => {
          seen.push(await progress());
          return finished(seen.at(-1)!);
        },
        { timeoutMs: 120_000, intervalMs: 100, what: 'the initial cycle of every user done' },
      );
      await p.restartWatcher();
      await polling.catch((error: unknown) => {
        throw new Error(`${String(error)}; last seen ${JSON.stringify(seen.at(-1))}`);
      });
      stream = await Promise.race([pushed, waitFor((): false => false, { timeoutMs: 30_000, what: 'the pushed steady state' }).then(() => pushed)]);
    } finally {
      gone.abort();
    }

    const running = seen.flatMap((s) => (s.current?.kind === 'initial' ? [s.current] : []));
    // Caught while it ran, at least once half-way.
    expect(running.some((c) => c.processed > 0 && c.processed < c.changes)).toBe(true);
    for (const [i, c] of running.entries()) {
      expect(c.remaining).toBe(c.changes - c.processed);
      expect(c.percentComplete).toBeGreaterThanOrEqual(0);
      expect(c.percentComplete).toBeLessThanOrEqual(100);
      // Never an estimate faster than GoTo's rate limit allows.
      expect(c.ratePerSecond).toBeLessThanOrEqual(RATE);
      expect(c.estimatedSecondsRemaining).toBeGreaterThanOrEqual(Math.ceil(c.remaining / RATE));
      if (i > 0) expect(c.processed).toBeGreaterThanOrEqual(running[i - 1]!.processed);
      if (i > 0 && running[i - 1]!.readingComplete) expect(c.percentComplete).toBeGreaterThanOrEqual(running[i - 1]!.percentComplete);
    }

    const last = seen.at(-1)!;
    expect(last.current).toBeNull();
    expect(last.last).toMatchObject({
      kind: 'initial',
      readingComplete: true,
      usersInScope: USERS,
      usersRead: USERS,
      changes: USERS,
      processed: USERS,
      remaining: 0,
      percentComplete: 100,
      countsByAction: { Create: { success: USERS } },
    });
    expect(last.last!.endedAt! >= last.last!.startedAt).toBe(true);

    // Lean rows: what the whole sync logged averages at most 1 KB a row.
    const [size] = await p.env.query<{ rows: number; bytes: number }>('SELECT count(*)::int AS rows, avg(pg_column_size(t.*))::float AS bytes FROM provisioning_log t');
    expect(size!.rows).toBeGreaterThanOrEqual(3 * USERS);
    expect(size!.bytes).toBeLessThanOrEqual(1024);

    expect(stream.type).toMatch(/^text\/event-stream/);
    expect(finished(stream.events.at(-1)!)).toBe(true);
    const processed = stream.events.map((e) => e.current?.processed ?? e.last?.processed ?? 0);
    expect(processed).toEqual([...processed].sort((a, b) => a - b));
  }, 240_000);

  it('names the last cycle that changed anything once a later one found nothing', async () => {
    const before = await progress();
    // A full read of a directory that has not changed since: a cycle with no change.
    await stack.pipeline.env.query(`UPDATE watch_cursor SET cursor = NULL, initial_completed_at = NULL`);
    await stack.pipeline.restartWatcher();
    const after = await waitFor(
      async () => {
        const p = await progress();
        return p.steadyState && p.last!.cycleId !== before.last!.cycleId && p;
      },
      { timeoutMs: 120_000, what: 'a later cycle done' },
    );
    expect(after.last).toMatchObject({ changes: 0, percentComplete: 100 });
    expect(after.lastWithChanges).toMatchObject({ cycleId: before.last!.cycleId, kind: 'initial', changes: USERS, processed: USERS, countsByAction: { Create: { success: USERS } } });
    expect(before.lastWithChanges).toBeNull();
  }, 240_000);
});
