/**
 * End-to-end initial sync: N users assigned in the demo directory → GoTo accounts, through the four
 * services as separate processes (on free ports) against a redis-server of the bench's own and the
 * machine's PostgreSQL, with the GoTo emulator in this process.
 *
 *   npm run build && node -r ./dist/tools/register-aliases.js dist/bench/e2e-initial-sync.js [users=100000] [--rate=10,100] [--bulk]
 *
 * Unthrottled (no --rate) it prints users/s and its ratio to a bare three-stage BullMQ pipeline
 * measured in the same run on the same Redis (one item per job, and 1,000 items per job), CPU ms
 * per user of each process (the services, their Redis, their PostgreSQL backends, and this process
 * with the emulator; nothing else on the machine is counted), peak RSS per service, PostgreSQL
 * bytes per user and GoTo requests per user. With --rate=R GoTo and the connector's limiter allow
 * R requests/s (users default to 60 × R, a minute at the limit) and it prints the share of the limit
 * achieved, the 429s after the first window, the tightest span of R + 1 arrivals at GoTo and the
 * requests per user. --bulk turns the emulator's SCIM bulk on (GoTo documents none, so it is off
 * otherwise): the connector then sends a batch's creates as /Bulk requests, and the report says how
 * many operations a bulk request carried. Each figure comes with the load average, as the machine
 * may be shared.
 *
 * SERVICE_NODE_ARGS passes node options to every service (e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof`).
 */
import { loadavg, cpus } from 'node:os';
import { Client } from 'pg';
import { DEMO_PRINCIPALS, GotoEmulator } from '@roster/goto-emulator';
import { RedisServer, ServiceProcess, TEST_APP_ROLE, TEST_DATABASE_URL, TEST_JOB_ID, TestEnvironment, connectorEnv, waitFor, type ServiceName } from '@roster/testing';
import { measureBaseline, type BaselineResult } from './support/bullmq-baseline';
import { PostgresBackends } from './support/postgres-backends';
import { RedisBacklog } from './support/redis-backlog';
import { ProcessMeter, ownCpuMs } from './support/process-usage';
import { completedJobs, countsSince, redisCommandCounts, tableOperations } from './support/round-trips';

const SERVICES: readonly ServiceName[] = ['directory-watcher', 'mapper', 'connector', 'audit'];
const BASELINE_BATCH = 1000;
/** How long a throttled run lasts by default, in seconds at the limit. */
const THROTTLED_SECONDS = 60;
/** What the emulator advertises with --bulk: room for a whole command batch (50) and more. */
const BULK_LIMITS = { maxOperations: 100, maxPayloadSize: 1_048_576 };

const option = (name: string): string | undefined => process.argv.find((arg) => arg.startsWith(`--${name}=`))?.slice(name.length + 3);
const positional = process.argv.slice(2).find((arg) => !arg.startsWith('--'));
const rates = (option('rate') ?? '').split(',').filter(Boolean).map(Number);
const bulk = process.argv.includes('--bulk');
const nodeArgs = process.env.SERVICE_NODE_ARGS?.split(' ').filter(Boolean) ?? [];

const load = () => loadavg().map((l) => l.toFixed(2)).join(' ');
const fixed = (n: number, digits = 2) => n.toFixed(digits);

interface SyncRun {
  users: number;
  rate?: number;
  secondsToAccounts: number;
  secondsToLogged: number;
  cpuMs: Record<string, number>;
  /** PostgreSQL's share of cpuMs, by the service its backends served. */
  postgresCpuMs: Record<string, number>;
  peakRssMiB: Record<string, number>;
  /** Redis's used_memory at its highest during the sync, and the most batches that waited in each queue. */
  redisPeak: { usedMiB: number; waiting: [string, number][] };
  /** What the tables take on disk as the run left them, and after a VACUUM (dead row versions reclaimed, see tableSizes). */
  postgresBytes: { total: number; tables: [string, number][]; vacuumed: { total: number; tables: [string, number][] } };
  requests: { all: number; scim: number; bulk: number; bulkOperations: number; rateLimitedAfterFirstWindow: number; scimRatePerSecond: number; rateLimitedAtSeconds: number[]; tightestSpanMs: number };
  /** Redis calls per command name, and PostgreSQL row operations and scans per table, over the run. */
  redisCommands: [string, number][];
  tableOperations: [string, number][];
  /** Queue jobs completed per queue (the watcher's initial cycle included). */
  queueJobs: [string, number][];
  loadBefore: string;
  loadAfter: string;
}

async function syncRun(redis: RedisServer, users: number, rate?: number): Promise<SyncRun> {
  const loadBefore = load();
  const env = new TestEnvironment(redis.url);
  const goto = new GotoEmulator({
    clients: [DEMO_PRINCIPALS.client],
    rateLimit: rate ? { perSecond: rate, retryAfterSeconds: 1 } : 'unthrottled',
    bulk: bulk ? BULK_LIMITS : 'unsupported',
  });
  await goto.start();
  const pg = new Client({ connectionString: TEST_DATABASE_URL });
  await pg.connect();
  const running = new Map<ServiceName, ServiceProcess>();
  const backlog = new RedisBacklog(redis.url, env.queuePrefix, TEST_JOB_ID);
  const common = { LOG_LEVEL: 'warn', SHUTDOWN_GRACE_MS: '10000' };
  const start = async (name: ServiceName, settings = env.env(common)) => {
    const service = await ServiceProcess.start(name, settings, undefined, 120_000, nodeArgs);
    running.set(name, service);
    return service;
  };
  try {
    // The watcher creates its tables; then the directory is filled in bulk and the watcher is
    // restarted with no saved cursor, so what follows is a true initial cycle.
    await (await start('directory-watcher')).kill('SIGTERM');
    await pg.query(`SET search_path = ${env.schema}`);
    await pg.query(
      `INSERT INTO demo_user (id, user_principal_name, account_enabled, attributes)
       SELECT 'u' || i, 'user' || i || '@example.com', true,
              jsonb_build_object('givenName', 'Given' || i, 'surname', 'Sur' || i, 'displayName', 'User ' || i,
                                 'mail', 'user' || i || '@example.com', 'department', 'Dept' || (i % 20))
         FROM generate_series(1, $1) AS i`,
      [users],
    );
    await pg.query(`INSERT INTO demo_assignment SELECT 'User', 'u' || i, $2 FROM generate_series(1, $1) AS i`, [users, TEST_APP_ROLE]);
    await pg.query(`DELETE FROM watch_cursor`);

    // The connector's own limiter follows the target's allowance; unthrottled means "as fast as it goes".
    const connector = connectorEnv(env, goto, { ...common, GOTO_RATE_LIMIT_PER_SECOND: String(rate ?? 100_000) });
    await Promise.all([start('audit'), start('mapper'), start('connector', connector)]);
    const pids = () => ({ ...Object.fromEntries(SERVICES.map((name) => [name, running.get(name)?.pid])), redis: redis.pid });
    const meter = new ProcessMeter(pids);

    const backends = new PostgresBackends(pg, () => Object.fromEntries(SERVICES.map((name) => [name, running.get(name)?.pid])), Number(new URL(TEST_DATABASE_URL).port || 5432));
    const redisBefore = await redisCommandCounts(redis.url);
    const tablesBefore = await tableOperations(pg, env.schema);
    meter.begin();
    await backends.begin();
    const ownBefore = ownCpuMs();
    const started = Date.now();
    await start('directory-watcher');

    const sample = async () => {
      meter.sample();
      await backends.sample();
      await backlog.sample();
    };
    let last = 0;
    await waitFor(
      async () => {
        await sample();
        const accounts = goto.users.size;
        if (accounts !== last) process.stdout.write(`  ${((Date.now() - started) / 1000).toFixed(0)} s: ${accounts} accounts\n`);
        last = accounts;
        return accounts >= users;
      },
      { timeoutMs: 3_600_000, intervalMs: 1000, what: `${users} GoTo accounts` },
    );
    const secondsToAccounts = (Date.now() - started) / 1000;
    // The log trails the accounts a little; the figures cover the whole pipeline, so wait for it.
    await waitFor(
      async () => {
        await sample();
        const { rows } = await pg.query<{ n: number }>(`SELECT count(*)::int AS n FROM provisioning_log WHERE service = 'connector' AND step = 'executed'`);
        return rows[0]!.n >= users;
      },
      { timeoutMs: 600_000, intervalMs: 1000, what: 'the provisioning log' },
    );
    const secondsToLogged = (Date.now() - started) / 1000;
    await sample();
    const redisCommands = countsSince(redisBefore, await redisCommandCounts(redis.url));
    // The statistics collector reports a backend's counts within a second of its commit.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const tableCounts = countsSince(tablesBefore, await tableOperations(pg, env.schema));
    const queueJobs = countsSince(new Map(), await completedJobs([...running.values()].map((service) => service.url)));
    const cpuMs = { ...meter.cpuMs(), PostgreSQL: backends.cpuMs(), 'GoTo emulator + bench': ownCpuMs() - ownBefore };
    const postgresCpuMs = backends.cpuMsByClient();

    const asLeft = await tableSizes(pg, env.schema);
    const vacuumed = await tableSizes(pg, env.schema, { vacuum: true });
    const scim = goto.requestLog.entries({ family: 'scim', since: started });
    const firstWindowEnds = (scim[0]?.time ?? started) + 1000;
    const afterFirst = scim.filter((e) => e.time >= firstWindowEnds);
    const bulkRequests = scim.filter((e) => e.path.endsWith('/Bulk'));
    const span = afterFirst.length > 1 ? (afterFirst.at(-1)!.time - afterFirst[0]!.time) / 1000 : 0;
    return {
      users,
      ...(rate ? { rate } : {}),
      secondsToAccounts,
      secondsToLogged,
      cpuMs,
      postgresCpuMs,
      peakRssMiB: meter.peakRssMiB(),
      redisPeak: { usedMiB: backlog.peakUsedBytes / 2 ** 20, waiting: [...backlog.peakWaiting] },
      postgresBytes: { ...asLeft, vacuumed },
      requests: {
        all: goto.requestLog.entries({ since: started }).filter((e) => e.family !== 'unknown').length,
        scim: scim.length,
        bulk: bulkRequests.length,
        bulkOperations: bulkRequests.reduce((sum, e) => sum + (e.writes?.length ?? 0), 0),
        rateLimitedAfterFirstWindow: afterFirst.filter((e) => e.status === 429).length,
        rateLimitedAtSeconds: scim.filter((e) => e.status === 429).map((e) => (e.time - scim[0]!.time) / 1000),
        tightestSpanMs: rate ? tightestSpan(afterFirst.filter((e) => e.status !== 429).map((e) => e.time).sort((a, b) => a - b), rate) : 0,
        scimRatePerSecond: span > 0 ? (afterFirst.length - 1) / span : 0,
      },
      redisCommands,
      tableOperations: tableCounts,
      queueJobs,
      loadBefore,
      loadAfter: load(),
    };
  } finally {
    await Promise.all([...running.values()].map((service) => service.kill('SIGTERM')));
    backlog.close();
    await pg.end();
    await goto.stop();
    await env.dispose();
  }
}

/**
 * Bytes on disk per table of the schema (indexes and TOAST included), largest first; with `vacuum`,
 * after a VACUUM of each. The CI cluster runs without autovacuum, so the run leaves every dead row
 * version (a row deleted or updated) in place; autovacuum reclaims them within a minute or so, and a
 * table whose rows are all gone shrinks to nothing, while space freed amid live rows is reused but
 * not returned.
 */
async function tableSizes(pg: Client, schema: string, { vacuum = false } = {}): Promise<{ total: number; tables: [string, number][] }> {
  const list = `FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = $1 AND c.relkind = 'r'`;
  if (vacuum) {
    const { rows } = await pg.query<{ name: string }>(`SELECT format('%I.%I', n.nspname, c.relname) AS name ${list}`, [schema]);
    for (const { name } of rows) await pg.query(`VACUUM ${name}`);
  }
  const { rows } = await pg.query<{ name: string; bytes: string }>(`SELECT c.relname AS name, pg_total_relation_size(c.oid) AS bytes ${list} ORDER BY 2 DESC`, [schema]);
  const tables = rows.map((row): [string, number] => [row.name, Number(row.bytes)]);
  return { total: tables.reduce((sum, [, bytes]) => sum + bytes, 0), tables };
}

function unthrottledReport(run: SyncRun, baselines: BaselineResult[]): string {
  const perUser = (ms: number) => ms / run.users;
  const usersPerSecond = run.users / run.secondsToAccounts;
  const { 'GoTo emulator + bench': emulator = 0, ...roster } = run.cpuMs;
  const rosterTotal = Object.values(roster).reduce((a, b) => a + b, 0);
  const lines = [
    `e2e initial sync, ${run.users} users, GoTo unthrottled, ${bulkSetting()}, ${cpus().length} cores; load average ${run.loadBefore} before, ${run.loadAfter} after`,
    `  users/s                       ${usersPerSecond.toFixed(0)}  (${fixed(run.secondsToAccounts, 1)} s to every account, ${fixed(run.secondsToLogged, 1)} s to every log record)`,
    ...baselines.map(
      (b) =>
        `  bare BullMQ, ${b.label.padEnd(20)}${b.itemsPerSecond.toFixed(0)} items/s, ${fixed(b.cpuMsPerItem, 3)} CPU ms/item → Roster at ` +
        `${fixed(usersPerSecond / b.itemsPerSecond)}× its rate, ${fixed(perUser(rosterTotal) / b.cpuMsPerItem, 1)}× its CPU`,
    ),
    `  CPU ms per user               ${Object.entries(roster).map(([who, ms]) => `${who} ${fixed(perUser(ms), 3)}`).join(', ')}`,
    `                                = ${fixed(perUser(rosterTotal), 3)} for Roster (services, Redis, PostgreSQL); GoTo emulator + bench ${fixed(perUser(emulator), 3)}`,
    `  PostgreSQL CPU ms per user by client  ${Object.entries(run.postgresCpuMs).map(([who, ms]) => `${who} ${fixed(perUser(ms), 3)}`).join(', ')}`,
    `  peak RSS MiB                  ${Object.entries(run.peakRssMiB).map(([who, mib]) => `${who} ${mib.toFixed(0)}`).join(', ')}`,
    `  Redis at its peak             ${run.redisPeak.usedMiB.toFixed(0)} MiB used; most batches waiting ${run.redisPeak.waiting.map(([queue, n]) => `${queue} ${n}`).join(', ')}`,
    `  PostgreSQL bytes per user     ${bytesPerUser(run.postgresBytes)}`,
    `                   after VACUUM ${bytesPerUser(run.postgresBytes.vacuumed)}`,
    ...requestsPerUser(run),
    ...roundTrips(run),
  ];
  return lines.join('\n');

  function bytesPerUser({ total, tables }: { total: number; tables: [string, number][] }): string {
    const big = tables.filter(([, bytes]) => bytes >= total / 50);
    return `${(total / run.users).toFixed(0)}  (${big.map(([table, bytes]) => `${table} ${(bytes / run.users).toFixed(0)}`).join(', ')})`;
  }
}

/** Redis calls and PostgreSQL row operations per user: the round trips behind the CPU figures. */
function roundTrips(run: SyncRun): string[] {
  const perUser = (counts: [string, number][], top: number) =>
    `${fixed(counts.reduce((sum, [, n]) => sum + n, 0) / run.users)}  (${counts
      .slice(0, top)
      .map(([name, n]) => `${name} ${fixed(n / run.users)}`)
      .join(', ')})`;
  return [
    `  queue jobs per user           ${perUser(run.queueJobs, 6)}`,
    `  Redis calls per user          ${perUser(run.redisCommands, 6)}`,
    `  PostgreSQL row ops per user   ${perUser(run.tableOperations, 10)}`,
  ];
}

/** The shortest time (ms) GoTo took to receive `limit + 1` requests: under 1000, the limit was passed; the rest, the margin left. */
function tightestSpan(times: number[], limit: number): number {
  let tightest = Infinity;
  for (let k = limit; k < times.length; k++) tightest = Math.min(tightest, times[k]! - times[k - limit]!);
  return tightest;
}

/** When GoTo answered 429, in seconds after the first SCIM request: the first window's are the connections opening. */
const atSeconds = (times: number[]) => (times.length ? `  (every 429 at ${times.slice(0, 10).map((t) => `${fixed(t)} s`).join(', ')}${times.length > 10 ? ', …' : ''})` : '');

const bulkSetting = () => (bulk ? `SCIM bulk on (maxOperations ${BULK_LIMITS.maxOperations})` : 'SCIM bulk off');

/** GoTo requests per user, and with bulk how many of them were /Bulk and what one carried. */
function requestsPerUser(run: SyncRun): string[] {
  const { all, scim, bulk: bulks, bulkOperations } = run.requests;
  const shared = bulks > 0 ? `; ${bulks} /Bulk requests carrying ${fixed(bulkOperations / bulks, 1)} writes each` : '';
  return [`  GoTo requests per user        ${fixed(all / run.users, 3)}  (SCIM ${fixed(scim / run.users, 3)}${shared})`];
}

function throttledReport(run: SyncRun): string {
  const rate = run.rate!;
  return [
    `e2e initial sync, ${run.users} users, GoTo limited to ${rate} req/s, ${bulkSetting()}; load average ${run.loadBefore} before, ${run.loadAfter} after`,
    `  share of the limit achieved   ${fixed((100 * run.requests.scimRatePerSecond) / rate, 1)} %  (${fixed(run.requests.scimRatePerSecond)} SCIM req/s after the first second)`,
    `  429s after the first window   ${run.requests.rateLimitedAfterFirstWindow}${atSeconds(run.requests.rateLimitedAtSeconds)}`,
    `  tightest ${rate + 1} arrivals       ${run.requests.tightestSpanMs} ms  (GoTo refuses under 1000 ms)`,
    ...requestsPerUser(run),
    `  users/s                       ${fixed(run.users / run.secondsToAccounts, 1)}  (${fixed(run.secondsToAccounts, 1)} s)`,
  ].join('\n');
}

async function main(): Promise<void> {
  const redis = await RedisServer.start({ aof: true });
  try {
    if (rates.length === 0) {
      const users = Number(positional ?? 100_000);
      const loadBefore = load();
      const baselines = [await measureBaseline(redis.url, users, 1, redis.pid), await measureBaseline(redis.url, users, BASELINE_BATCH, redis.pid)];
      process.stdout.write(`bare BullMQ pipeline measured (load average ${loadBefore} before, ${load()} after)\n`);
      process.stdout.write(`${unthrottledReport(await syncRun(redis, users), baselines)}\n`);
      return;
    }
    for (const rate of rates) process.stdout.write(`${throttledReport(await syncRun(redis, Number(positional ?? rate * THROTTLED_SECONDS), rate))}\n`);
  } finally {
    await redis.stop();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
