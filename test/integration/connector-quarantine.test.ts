import { createServer, type Server } from 'node:http';
import { aCommand, getJson, sampleSum, sendJson, userNameOf, waitFor } from '@roster/testing';
import { ConnectorStack } from '../support/connector-stack';

const USERS = '/identity/v1/Users';

/** A token GoTo refuses, then a login GoTo refuses: the credentials no longer work, which stops the job. */
function refuseCredentialsOnce(goto: ConnectorStack['goto']): void {
  goto.faults.failNext(1, { kind: 'status', status: 401 }, { method: 'POST', pathPrefix: USERS });
  goto.faults.failNext(1, { kind: 'status', status: 401, body: { error: 'invalid_client' } }, { pathPrefix: '/oauth/' });
}
const range = (n: number) => Array.from({ length: n }, (_, i) => i);

interface Status {
  state: 'running' | 'quarantined';
  quarantine: { kind: string; reason: string; intervalMs: number; failedProbes: number; nextProbeAt: string } | null;
  deadLetters: number;
}

/** Collects the JSON bodies POSTed to it: the notification webhook. */
async function webhookSink(): Promise<{ server: Server; url: string; events: Record<string, unknown>[] }> {
  const events: Record<string, unknown>[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      events.push(JSON.parse(body) as Record<string, unknown>);
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as { port: number }).port}/hook`, events };
}

describe('connector: circuit breaker and quarantine', () => {
  let hook: Awaited<ReturnType<typeof webhookSink>>;
  const stack = new ConnectorStack({
    audit: true,
    env: {
      GOTO_RATE_LIMIT_PER_SECOND: '1000',
      QUARANTINE_INITIAL_MS: '1000',
      QUARANTINE_MAX_MS: '4000',
      QUARANTINE_FAILURE_THRESHOLD: '6',
      QUARANTINE_FAILURE_RATIO: '0.5',
      TEST_CONNECTION_INTERVAL_MS: '0',
    },
  });
  const goto = stack.goto;
  const status = async () => (await getJson<Status>(`${stack.connector.url}/status`)).body;

  beforeAll(async () => {
    hook = await webhookSink();
    await stack.start({ NOTIFY_WEBHOOK_URL: hook.url });
  });
  afterAll(async () => {
    await stack.stop();
    await new Promise((resolve) => hook.server.close(resolve));
  });

  it('stops the job when GoTo refuses the credentials, alerts, holds commands without failing them, and resumes when a probe succeeds', async () => {
    await stack.push([aCommand({ n: 0, run: 'warm' })]);
    await stack.settled();
    refuseCredentialsOnce(goto);
    await stack.push([aCommand({ n: 1, run: 'fatal' })]);
    const entered = await waitFor(async () => {
      const s = await status();
      return s.state === 'quarantined' && s;
    }, { what: 'the quarantine' });
    expect(entered.quarantine).toMatchObject({ kind: 'fatal', intervalMs: 1000, failedProbes: 0 });
    expect(entered.quarantine!.reason).toMatch(/authenticate: GoTo answered HTTP 401/);

    // While quarantined, commands wait: none takes effect in GoTo, nothing fails. The quarantine lasted
    // at least until the last status that still showed it was asked for, however late a busy machine
    // lets the probe run.
    const since = Date.now();
    await stack.push(range(5).map((n) => aCommand({ n: n + 2, run: 'fatal' })));
    let quarantinedUntil = since;
    await waitFor(
      async () => {
        const asked = Date.now();
        const { state } = await status();
        if (state === 'quarantined') quarantinedUntil = asked;
        return state === 'running';
      },
      { what: 'the probe to end the quarantine', timeoutMs: 10_000 },
    );
    await stack.settled();
    const createdAt = range(5).map((n) => Date.parse(goto.users.getByUserName(userNameOf(n + 2, 'fatal'))!.created));
    expect(createdAt.filter((at) => at < quarantinedUntil)).toEqual([]);
    expect(range(6).every((n) => goto.users.getByUserName(userNameOf(n + 1, 'fatal')))).toBe(true);
    expect(await stack.deadLetters()).toEqual([]);
    const executed = await waitFor(async () => {
      const rows = await stack.logs(`step = 'executed' AND message_id LIKE 'fatal:%'`);
      return rows.length === 6 && rows;
    });
    expect(executed.every((r) => r.attempt === 1)).toBe(true);

    const alerts = await waitFor(async () => {
      const rows = await stack.logs(`action = 'Other'`);
      return rows.length === 2 && rows;
    });
    expect(alerts.map((r) => [r.step, r.details?.['event'], r.details?.['kind']])).toEqual([
      ['failed', 'quarantine-entered', 'fatal'],
      ['executed', 'quarantine-left', 'fatal'],
    ]);
    expect(alerts[0]!.error).toMatchObject({ kind: 'fatal', status: 401 });
    expect(hook.events.map((e) => [e['event'], e['kind']])).toEqual([
      ['quarantine-entered', 'fatal'],
      ['quarantine-left', 'fatal'],
    ]);
    // The job's notification e-mail hears of both too (the admin API mails them in a digest).
    const events = await stack.env.query<{ kind: string; facts: Record<string, unknown> }>(`SELECT kind, facts FROM notification_event ORDER BY occurred_at, id`);
    expect(events.map((e) => [e.kind, e.facts['quarantine'] ?? null, e.facts['reason']])).toEqual([
      ['quarantine-entered', 'fatal', expect.stringMatching(/authenticate: GoTo answered HTTP 401/)],
      ['quarantine-left', null, expect.any(String)],
    ]);
  });

  it('probes less and less often while the target stays broken, and a quarantine that returns soon starts where the last ended', async () => {
    refuseCredentialsOnce(goto);
    // Probes read the user list; the first one fails.
    goto.faults.failNext(1, { kind: 'status', status: 503 }, { method: 'GET', pathPrefix: USERS });
    await stack.push([aCommand({ n: 1, run: 'backoff' })]);
    const seen: number[] = [];
    await waitFor(
      async () => {
        const s = await status();
        if (s.quarantine && seen.at(-1) !== s.quarantine.intervalMs) seen.push(s.quarantine.intervalMs);
        return s.state === 'running' && seen.length > 0;
      },
      { what: 'a failed probe, then a good one', timeoutMs: 15_000, intervalMs: 100 },
    );
    // The last quarantine ended at 1 s; this one starts at 2 s and doubles after the failed probe.
    expect(seen).toEqual([2000, 4000]);
    await stack.settled();
    expect(goto.users.getByUserName(userNameOf(1, 'backoff'))).toBeDefined();
  });

  it('quarantines after sustained transient failures and leaves by itself once GoTo recovers', async () => {
    hook.events.length = 0;
    goto.faults.failNext(1_000, { kind: 'status', status: 502 }, { method: 'POST', pathPrefix: USERS });
    await stack.push(range(8).map((n) => aCommand({ n, run: 'flaky' })));
    const entered = await waitFor(async () => {
      const s = await status();
      return s.state === 'quarantined' && s;
    }, { what: 'the quarantine for failures' });
    expect(entered.quarantine!.kind).toBe('failures');
    expect(entered.quarantine!.reason).toMatch(/commands failed in 60000 ms; last: .*502/);
    goto.faults.clear();

    await waitFor(async () => (await status()).state === 'running', { what: 'the quarantine to end', timeoutMs: 10_000 });
    await stack.settled('the flaky batch', 25_000);
    expect(range(8).every((n) => goto.users.getByUserName(userNameOf(n, 'flaky')))).toBe(true);
    expect(hook.events.map((e) => e['event'])).toContain('quarantine-entered');
  });
});

describe("connector: leaving a quarantine on an admin's request", () => {
  // The scheduled probe is a minute away, so only the admin's request can end the quarantine here,
  // however slowly a busy machine answers.
  const stack = new ConnectorStack({
    audit: true,
    env: { GOTO_RATE_LIMIT_PER_SECOND: '1000', QUARANTINE_INITIAL_MS: '60000', QUARANTINE_MAX_MS: '60000', TEST_CONNECTION_INTERVAL_MS: '0' },
  });
  const goto = stack.goto;
  const status = async () => (await getJson<Status>(`${stack.connector.url}/status`)).body;

  beforeAll(() => stack.start());
  afterAll(() => stack.stop());

  it('reports a quarantine at an admin Test Connection, and leaves it at once only when asked to resume', async () => {
    await stack.push([aCommand({ n: 0, run: 'warm' })]);
    await stack.settled();
    refuseCredentialsOnce(goto);
    await stack.push([aCommand({ n: 1, run: 'manual' })]);
    const quarantined = await waitFor(async () => {
      const s = await status();
      return s.state === 'quarantined' && s;
    }, { what: 'the quarantine' });
    // /metrics says so too, and counts the held command as delayed (neither failed nor an attempt).
    const metrics = () => fetch(`${stack.connector.url}/metrics`).then((r) => r.text());
    const quarantinedGauge = async () => {
      const text = await metrics();
      return ['fatal', 'failures'].map((kind) => sampleSum(text, 'roster_connector_quarantined', { provisioning_job: 'gotomeeting', kind }));
    };
    expect(await quarantinedGauge()).toEqual([1, 0]);
    await waitFor(async () => sampleSum(await metrics(), 'roster_queue_jobs_total', { queue: 'provisioning-commands', outcome: 'delayed' }) >= 1, { what: 'the held command counted delayed' });
    expect(sampleSum(await metrics(), 'roster_queue_jobs_total', { queue: 'provisioning-commands', outcome: 'failed' })).toBe(0);
    const report = await sendJson<{ ok: boolean; quarantine: unknown }>('POST', `${stack.connector.url}/test-connection`);
    expect(report.body).toMatchObject({ ok: true, quarantine: { kind: 'fatal', nextProbeAt: quarantined.quarantine!.nextProbeAt } });
    expect((await status()).state).toBe('quarantined');

    const resumed = await sendJson<{ ok: boolean; quarantine: unknown }>('POST', `${stack.connector.url}/test-connection`, { resume: true });
    expect(resumed.body).toMatchObject({ ok: true, quarantine: null });
    expect((await status()).state).toBe('running');
    expect(await quarantinedGauge()).toEqual([0, 0]);
    // The held command runs now, not when the scheduled probe would have been due.
    await waitFor(() => goto.users.getByUserName(userNameOf(1, 'manual')), { what: 'the held command' });
    expect(Date.now()).toBeLessThan(Date.parse(quarantined.quarantine!.nextProbeAt));
    const left = await waitFor(async () => {
      const rows = await stack.logs(`action = 'Other' AND details->>'event' = 'quarantine-left'`);
      return rows.find((row) => /asked to resume/.test(row.reason ?? '')) ?? false;
    });
    expect(left.reason).toMatch(/an admin's Test Connection succeeded and asked to resume/);
  });
});
