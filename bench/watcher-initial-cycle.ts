/**
 * The directory watcher with the Entra ID source against the Graph emulator, on the real Redis and
 * PostgreSQL: the initial cycle over N users (users/s and the watcher's peak RSS), then the
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
import { readFileSync, readdirSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { Queue } from 'bullmq';
import { AssignmentChangeType as T, QueueName, type AssignmentChangeBatch } from '@roster/contracts';
import { DEMO_TENANT, GraphEmulator, demoTenantWatcherEnv } from '@roster/graph-emulator';
import { redisOptionsFromUrl } from '@roster/platform';
import { TEST_REDIS_URL, TestEnvironment, waitFor, freePort } from '@roster/testing';

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
  const kib = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
  return Math.round(Number(kib) / 1024);
}

/** CPU seconds used so far by the processes named `name` (user + system), from /proc (Linux). */
function cpuSecondsOf(name: string): number {
  let ticks = 0;
  for (const pid of readdirSync('/proc').filter((entry) => /^\d+$/.test(entry))) {
    let stat: string;
    try {
      stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    } catch {
      continue; // exited meanwhile
    }
    if (stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')')) !== name) continue;
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    ticks += Number(fields[11]) + Number(fields[12]);
  }
  return ticks / 100;
}

/** CPU seconds of the watcher, of this process (the Graph emulator), of PostgreSQL and of Redis. */
function cpuSplit(watcherPid: number): Record<string, number> {
  const own = process.cpuUsage();
  const watcherStat = readFileSync(`/proc/${watcherPid}/stat`, 'utf8');
  const fields = watcherStat.slice(watcherStat.lastIndexOf(')') + 2).split(' ');
  return {
    watcher: (Number(fields[11]) + Number(fields[12])) / 100,
    'Graph emulator': (own.user + own.system) / 1e6,
    PostgreSQL: cpuSecondsOf('postgres'),
    Redis: cpuSecondsOf('redis-server'),
  };
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
    return (await (await fetch(`${await this.url}/sync/status`)).json()) as SyncStatus;
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
  const env = new TestEnvironment();
  const graph = new GraphEmulator({ requestLogSize: 0 });
  await graph.start();
  const queue = new Queue(QueueName.AssignmentChanges, { connection: redisOptionsFromUrl(TEST_REDIS_URL), prefix: env.queuePrefix });
  const watcher = new WatcherProcess(env, graph);
  try {
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

    await watcher.start(true);
    const cpuBefore = cpuSplit(watcher.pid);
    const initial = await waitFor(async () => {
      const status = await watcher.status();
      return status.initialCycleCompletedAt !== null && status.lastCompletedAt !== null && status;
    }, { timeoutMs: 3_600_000, intervalMs: 200, what: 'the initial cycle' });
    const seconds = (Date.parse(initial.lastCompletedAt!) - Date.parse(initial.startedAt!)) / 1000;
    console.log(
      `initial cycle: ${initial.usersProcessed} users, ${initial.eventsEmitted} events in ${seconds.toFixed(1)} s = ` +
        `${Math.round(initial.usersProcessed / seconds)} users/s; watcher peak RSS ${peakRssMiB(watcher.pid)} MiB`,
    );
    const cpuAfter = cpuSplit(watcher.pid);
    const split = Object.entries(cpuAfter).map(([who, used]) => `${who} ${(used - cpuBefore[who]).toFixed(1)} s`);
    // PostgreSQL backends that ended meanwhile are not counted, so its figure is a lower bound.
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
    await env.dispose();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
