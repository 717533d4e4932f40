/**
 * The directory watcher with the Entra ID source against the Graph emulator, on a redis-server of
 * the bench's own and the machine's PostgreSQL: the initial cycle over N users (users/s, its ratio to
 * a bare BullMQ pipeline measured in the same run, the CPU of the watcher, its Redis and its
 * PostgreSQL backends only, and the watcher's peak RSS), then the
 * change-to-event latency of single attribute changes, first with change notifications on, then
 * with polling only (WATCH_POLL_INTERVAL_MS, default 2 s).
 *
 *   npm run build
 *   node -r ./dist/tools/register-aliases.js dist/bench/watcher-initial-cycle.js \
 *     [--users=100000] [--changes=1000] [--rate=50] [--assign=direct|groups]
 *
 * `--assign=groups` assigns the users through 10 groups instead of one by one. The watcher runs as
 * its own process (`dist/services/directory-watcher/src/main.js`) so that its memory is its own;
 * the emulator and the measurement run here. WATCHER_NODE_ARGS passes node options to the watcher
 * (e.g. `--cpu-prof`). Schema and queue prefix are removed at the end.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { Queue } from 'bullmq';
import { AssignmentChangeType as T, QueueName, type AssignmentChangeBatch } from '@roster/contracts';
import { DEMO_TENANT, GraphEmulator, demoTenantWatcherEnv } from '@roster/graph-emulator';
import { redisOptionsFromUrl } from '@roster/platform';
import { Client } from 'pg';
import { RedisServer, TEST_DATABASE_URL, TestEnvironment, getJson, waitFor, freePort } from '@roster/testing';
import { measureBaseline } from './support/bullmq-baseline';
import { PostgresBackends } from './support/postgres-backends';
import { ProcessMeter, ownCpuMs, peakRssMiBOf } from './support/process-usage';

const DIST = join(__dirname, '..');
const GROUPS = 10;

const option = (name: string, fallback: string) =>
  process.argv.find((arg) => arg.startsWith(`--${name}=`))?.slice(name.length + 3) ?? fallback;
const users = Number(option('users', '100000'));
const changes = Number(option('changes', '1000'));
const rate = Number(option('rate', '50'));
const assign = option('assign', 'direct');
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface SyncStatus {
  phase: string;
  startedAt: string | null;
  lastCompletedAt: string | null;
  initialCycleCompletedAt: string | null;
  usersProcessed: number;
  eventsEmitted: number;
}

/** Peak resident set size of a process so far, in MiB (Linux). */
function peakRssMiB(pid: number): number {
  return Math.round(peakRssMiBOf(pid) ?? 0);
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

class WatcherProcess {
  private child?: ChildProcess;
  private readonly port = freePort();

  constructor(
    private readonly env: TestEnvironment,
    private readonly graph: GraphEmulator,
  ) {}

  get url(): Promise<string> {
    return this.port.then((port) => `http://127.0.0.1:${port}`);
  }

  get pid(): number {
    return this.child!.pid!;
  }

  async start(webhooks: boolean): Promise<void> {
    const base = await this.url;
    const settings = this.env.env({
      LOG_LEVEL: 'warn',
      HTTP_PORT: String(await this.port),
      ...demoTenantWatcherEnv(this.graph.baseUrl),
      ...(webhooks ? { ENTRA_WEBHOOK_URL: `${base}/graph/notifications`, ENTRA_WEBHOOK_CLIENT_STATE: 'bench-client-state' } : {}),
    });
    const nodeArgs = process.env.WATCHER_NODE_ARGS?.split(' ') ?? [];
    const main = join(DIST, 'services/directory-watcher/src/main.js');
    this.child = spawn(process.execPath, [...nodeArgs, '-r', join(DIST, 'tools/register-aliases.js'), main], {
      env: { PATH: process.env.PATH, ...settings },
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    await waitFor(() => this.status().then(() => true), { timeoutMs: 60_000, intervalMs: 100, what: 'the watcher to answer' });
  }

  async status(): Promise<SyncStatus> {
    return (await getJson<SyncStatus>(`${await this.url}/sync/status`)).body;
  }

  async stop(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  }
}

/** A watcher keeps its subscriptions across restarts; one without webhooks must not receive them. */
async function deleteSubscriptions(graph: GraphEmulator): Promise<void> {
  const authorization = `Bearer ${graph.issueAccessToken()}`;
  for (const { id } of graph.listSubscriptions()) {
    await fetch(`${graph.baseUrl}/v1.0/subscriptions/${id}`, { method: 'DELETE', headers: { authorization } });
  }
}

/** Changes `changes` users one at a time at `rate` per second; returns each event's delay in ms. */
async function latencies(graph: GraphEmulator, queue: Queue, watcher: WatcherProcess, ids: string[], label: string): Promise<number[]> {
  await queue.drain(true);
  const changedAt = new Map<string, number>();
  for (let i = 0; i < changes; i++) {
    const id = ids[(i * 7919) % ids.length];
    changedAt.set(id, Date.now());
    graph.updateUser(id, { jobTitle: `${label} ${i}` });
    await sleep(1000 / rate);
  }
  const seen = new Map<string, number>();
  await waitFor(
    async () => {
      for (const job of await queue.getJobs(['wait', 'prioritized', 'delayed', 'active'], 0, -1)) {
        for (const event of (job.data as AssignmentChangeBatch).events) {
          if (event.type !== T.UserAttributesChanged || !changedAt.has(event.user.id) || seen.has(event.user.id)) continue;
          seen.set(event.user.id, job.timestamp - changedAt.get(event.user.id)!);
        }
      }
      return seen.size === changedAt.size;
    },
    { timeoutMs: 120_000, intervalMs: 500, what: `the ${label} events` },
  ).catch(async (error: Error) => {
    throw new Error(`${error.message}: ${seen.size} of ${changedAt.size} seen; watcher ${JSON.stringify(await watcher.status())}`);
  });
  return [...seen.values()].sort((a, b) => a - b);
}

async function main(): Promise<void> {
  // A redis-server of its own, so its CPU is the watcher's doing and no one else's.
  const redis = await RedisServer.start({ aof: true });
  const env = new TestEnvironment(redis.url);
  const graph = new GraphEmulator({ requestLogSize: 0 });
  await graph.start();
  const queue = new Queue(QueueName.AssignmentChanges, { connection: redisOptionsFromUrl(redis.url), prefix: env.queuePrefix });
  const watcher = new WatcherProcess(env, graph);
  const pg = new Client({ connectionString: TEST_DATABASE_URL });
  await pg.connect();
  try {
    const baseline = await measureBaseline(redis.url, users, 1, redis.pid);
    const seeded = Date.now();
    const ids = graph.seedUsers(users, { assign: assign === 'direct' });
    if (assign === 'groups') {
      for (let g = 0; g < GROUPS; g++) {
        const group = graph.addGroup({ displayName: `Bench ${g}` });
        for (let i = g; i < ids.length; i += GROUPS) graph.addGroupMember(group.id, ids[i]);
        graph.assignAppRole({ principalId: group.id, appRoleId: DEMO_TENANT.userRoleId });
      }
    }
    const how = assign === 'groups' ? `through ${GROUPS} groups` : 'directly';
    console.log(`seeded ${users} users assigned ${how} in ${Date.now() - seeded} ms`);

    const loadBefore = loadavg().map((l) => l.toFixed(2)).join(' ');
    await watcher.start(true);
    // From the watcher's start: what it and the servers do for it, nothing else on the machine.
    const meter = new ProcessMeter(() => ({ watcher: watcher.pid, Redis: redis.pid }));
    const backends = new PostgresBackends(pg, () => [watcher.pid], Number(new URL(TEST_DATABASE_URL).port || 5432));
    meter.begin();
    await backends.begin();
    const ownBefore = ownCpuMs();
    const initial = await waitFor(async () => {
      meter.sample();
      await backends.sample();
      const status = await watcher.status();
      return status.initialCycleCompletedAt !== null && status.lastCompletedAt !== null && status;
    }, { timeoutMs: 3_600_000, intervalMs: 200, what: 'the initial cycle' });
    const seconds = (Date.parse(initial.lastCompletedAt!) - Date.parse(initial.startedAt!)) / 1000;
    const usersPerSecond = initial.usersProcessed / seconds;
    console.log(
      `initial cycle: ${initial.usersProcessed} users, ${initial.eventsEmitted} events in ${seconds.toFixed(1)} s = ` +
        `${Math.round(usersPerSecond)} users/s (${(usersPerSecond / baseline.itemsPerSecond).toFixed(2)}× a bare three-stage BullMQ ` +
        `pipeline's ${Math.round(baseline.itemsPerSecond)} items/s in this run); watcher peak RSS ${peakRssMiB(watcher.pid)} MiB; ` +
        `load average ${loadBefore} before, ${loadavg().map((l) => l.toFixed(2)).join(' ')} after`,
    );
    const cpu = { ...meter.cpuMs(), PostgreSQL: backends.cpuMs(), 'Graph emulator + bench': ownCpuMs() - ownBefore };
    const split = Object.entries(cpu).map(([who, ms]) => `${who} ${(ms / 1000).toFixed(1)} s (${(ms / initial.usersProcessed).toFixed(3)} ms/user)`);
    console.log(`  CPU during the initial cycle (${cpus().length} cores × ${seconds.toFixed(1)} s): ${split.join(', ')}`);

    for (const webhooks of [true, false]) {
      const label = webhooks ? 'webhooks' : 'polling only';
      if (!webhooks) {
        await watcher.stop();
        await deleteSubscriptions(graph);
        await watcher.start(false);
      }
      const delays = await latencies(graph, queue, watcher, ids, label);
      console.log(
        `change-to-event latency, ${label}: p50 ${percentile(delays, 50)} ms, p95 ${percentile(delays, 95)} ms, ` +
          `max ${delays.at(-1)} ms over ${delays.length} changes at ${rate}/s; watcher peak RSS ${peakRssMiB(watcher.pid)} MiB`,
      );
    }
  } finally {
    await watcher.stop();
    await queue.close();
    await graph.stop();
    await pg.end();
    await env.dispose();
    await redis.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
