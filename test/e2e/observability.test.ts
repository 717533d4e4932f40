import { DEMO_PRINCIPALS, GotoEmulator } from '@roster/goto-emulator';
import {
  OtlpReceiver,
  ServiceProcess,
  TEST_APP_ROLE,
  TestEnvironment,
  connectorEnv,
  ensureServicesBuilt,
  metricFamilies,
  sampleSum,
  sendJson,
  waitFor,
  type ReceivedSpan,
  type ServiceName,
} from '@roster/testing';
import { metricsUsedByDeployment } from '../support/deployment-metrics';

const SERVICES: ServiceName[] = ['audit', 'directory-watcher', 'mapper', 'connector'];
const scrape = (s: ServiceProcess) => fetch(`${s.url}/metrics`).then((r) => r.text());

/**
 * The four services as processes, configured as an operator would (OTEL_* variables pointing at an
 * OTLP endpoint, here a receiver in this test), provisioning one user whose first GoTo write fails.
 */
describe('metrics and traces of a running pipeline', () => {
  const env = new TestEnvironment();
  const goto = new GotoEmulator({ clients: [DEMO_PRINCIPALS.client], rateLimit: 'unthrottled' });
  const receiver = new OtlpReceiver();
  const running = new Map<ServiceName, ServiceProcess>();
  const service = (name: ServiceName) => running.get(name)!;

  beforeAll(async () => {
    ensureServicesBuilt(SERVICES);
    await Promise.all([goto.start(), receiver.start()]);
    const tracing = {
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
      OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
      // Export within a fraction of a second rather than every 5 s.
      OTEL_BSP_SCHEDULE_DELAY: '100',
      LOG_LEVEL: 'info',
      WATCH_POLL_INTERVAL_MS: '500',
    };
    await Promise.all(
      SERVICES.map(async (name) => {
        const vars = name === 'connector' ? connectorEnv(env, goto, tracing) : env.env({ ...tracing, RETRY_BASE_DELAY_MS: '50', RETRY_MAX_DELAY_MS: '200' });
        running.set(name, await ServiceProcess.start(name, vars, undefined, 120_000));
      }),
    );
  }, 300_000);

  afterAll(async () => {
    for (const s of [...running.values()].reverse()) await s.kill('SIGTERM');
    await Promise.all([goto.stop(), receiver.stop()]);
    await env.dispose();
  });

  let before: Map<ServiceName, string>;
  let traceId: string;

  it('provisions a user whose first GoTo write fails once, while every /metrics scrape answers', async () => {
    before = new Map(await Promise.all(SERVICES.map(async (n) => [n, await scrape(service(n))] as const)));
    goto.faults.failNext(1, { kind: 'status', status: 503 }, { method: 'POST', pathPrefix: '/identity/v1/Users' });
    const id = `obs-${env.id}`;
    const watcher = service('directory-watcher').url;
    expect((await sendJson('POST', `${watcher}/directory/users`, { id, userPrincipalName: 'hopper@example.com', attributes: { givenName: 'Grace', surname: 'Hopper' } })).status).toBe(201);
    expect((await sendJson('POST', `${watcher}/directory/assignments`, { principalType: 'User', principalId: id, appRoleId: TEST_APP_ROLE })).status).toBe(204);
    // Scraped all along the sync: each scrape answers, whatever the queues hold at that moment.
    await waitFor(
      async () => {
        const texts = await Promise.all(SERVICES.map((n) => scrape(service(n))));
        return texts.every((t) => t.includes('roster_queue_jobs_total')) && goto.users.getByUserName('hopper@example.com')?.active === true;
      },
      { timeoutMs: 60_000, intervalMs: 200, what: 'the GoTo account' },
    );
  });

  it('sees the counters of every service move for that change', async () => {
    const moved = async (name: ServiceName, metric: string, labels: Record<string, string>) => {
      const now = await scrape(service(name));
      return sampleSum(now, metric, labels) - sampleSum(before.get(name)!, metric, labels);
    };
    await waitFor(async () => (await moved('audit', 'roster_queue_jobs_total', { queue: 'audit-records', outcome: 'completed' })) >= 3, {
      timeoutMs: 30_000,
      what: 'audit records written',
    });
    expect(await moved('directory-watcher', 'roster_sync_cycle', {})).toBeGreaterThanOrEqual(1);
    expect(await moved('mapper', 'roster_queue_jobs_total', { queue: 'assignment-changes', outcome: 'completed' })).toBeGreaterThanOrEqual(1);
    expect(await moved('mapper', 'roster_queue_job_wait_seconds_count', { queue: 'assignment-changes' })).toBeGreaterThanOrEqual(1);
    expect(await moved('connector', 'roster_queue_jobs_total', { queue: 'provisioning-commands', outcome: 'retrying' })).toBe(1);
    expect(await moved('connector', 'roster_queue_jobs_total', { queue: 'provisioning-commands', outcome: 'completed' })).toBeGreaterThanOrEqual(1);
    expect(await moved('connector', 'roster_queue_job_duration_seconds_count', { queue: 'provisioning-commands' })).toBeGreaterThanOrEqual(2);
    expect(await moved('connector', 'roster_http_client_requests_total', { target: 'goto', api: 'scim', status: '503' })).toBe(1);
    expect(await moved('connector', 'roster_http_client_requests_total', { target: 'goto', api: 'scim', status: '201' })).toBe(1);
    expect(await moved('connector', 'roster_goto_rate_limit_wait_seconds_count', { api: 'scim' })).toBeGreaterThanOrEqual(2);

    const connector = await scrape(service('connector'));
    expect(sampleSum(connector, 'roster_connector_quarantined', {})).toBe(0);
    expect(sampleSum(connector, 'roster_connector_dead_letters', { provisioning_job: 'gotomeeting' })).toBe(0);
    expect(connector).toMatch(/^roster_queue_jobs\{.*queue="provisioning-commands".*state="wait".*\} 0$/m);
    expect(connector).toMatch(/^roster_queue_oldest_waiting_job_age_seconds\{.*queue="provisioning-commands".*\} 0$/m);
    expect(sampleSum(await scrape(service('directory-watcher')), 'roster_sync_phase', { phase: 'idle' })).toBe(1);
  });

  it('exports every metric the Grafana dashboard and the Prometheus alerts use', async () => {
    const exported = new Set<string>();
    for (const name of SERVICES) for (const family of metricFamilies(await scrape(service(name)))) exported.add(family);
    const histogramParts = (m: string) => m.replace(/_(bucket|sum|count)$/, '');
    const missing = [...metricsUsedByDeployment()].filter((m) => !exported.has(m) && !exported.has(histogramParts(m)));
    expect(missing).toEqual([]);
  });

  it('traces the change as one trace through watcher, mapper, connector (with the GoTo calls) and audit', async () => {
    const created = await waitFor(() => receiver.spans.find((s) => s.name === 'GoTo createUser' && s.attributes['http.response.status_code'] === 201), {
      timeoutMs: 30_000,
      what: 'the span of the GoTo create',
    });
    traceId = created.traceId;
    const complete = (spans: ReceivedSpan[]) => new Set(spans.map((s) => s.service)).size === 4 && spans.some((s) => s.service === 'roster-audit' && s.name.startsWith('process'));
    const spans = await waitFor(() => complete(receiver.trace(traceId)) && receiver.trace(traceId), { timeoutMs: 30_000, what: 'the spans of all four services' });

    expect(new Set(spans.map((s) => s.service))).toEqual(new Set(['roster-directory-watcher', 'roster-mapper', 'roster-connector', 'roster-audit']));
    const roots = spans.filter((s) => s.parentSpanId === undefined);
    expect(roots.map((s) => [s.service, s.name])).toEqual([['roster-directory-watcher', 'sync page']]);
    const names = (svc: string) => spans.filter((s) => s.service === svc).map((s) => s.name);
    expect(names('roster-mapper')).toContain('process assignment-changes');
    // Taken from the intake, then (twice: the first attempt failed) from the job's own queue.
    expect(names('roster-connector')).toContain('process provisioning-commands');
    expect(names('roster-connector').filter((n) => n === 'process provisioning-commands.gotomeeting').length).toBe(2);
    const refused = spans.find((s) => s.name === 'GoTo createUser' && s.attributes['http.response.status_code'] === 503);
    expect(refused?.statusCode).toBe(2);
    // Every command span carries the change's correlation id, by which the provisioning log is searched too.
    const commandSpans = spans.filter((s) => s.name.startsWith('process provisioning-commands'));
    expect(new Set(commandSpans.map((s) => s.attributes['roster.correlation_id'])).size).toBe(1);
    // BullMQ's upkeep (polling an empty queue, checking for stalled jobs) makes no traces of its own.
    const upkeep = /^(getNextJob|moveStalledJobsToWait|startStalledCheckTimer) /;
    expect(receiver.spans.filter((s) => s.parentSpanId === undefined && upkeep.test(s.name)).map((s) => s.name)).toEqual([]);
    // The GoTo calls hang under the command that made them.
    const byId = new Map(spans.map((s) => [s.spanId, s]));
    expect(byId.get(created.parentSpanId!)?.name).toBe('process provisioning-commands.gotomeeting');
  });

  it('writes the trace and correlation ids on the log lines of that change', async () => {
    const line = await waitFor(
      () =>
        service('connector')
          .recentOutput.split('\n')
          .find((l) => l.includes('"msg":"job failed"') && l.includes(`"traceId":"${traceId}"`)),
      { what: 'the connector log line of the failed attempt' },
    );
    const entry = JSON.parse(line) as Record<string, unknown>;
    expect(entry).toMatchObject({ queue: 'provisioning-commands', traceId });
    expect(entry.correlationId).toEqual(expect.stringMatching(/^gotomeeting\/\d+$/));
    expect(entry.spanId).toEqual(expect.stringMatching(/^[0-9a-f]{16}$/));
  });
});
