/**
 * End-to-end initial sync: N users assigned in the demo directory → GoTo accounts, through the four
 * services running as separate processes against the real Redis and PostgreSQL, with the GoTo
 * emulator unthrottled (or rate-limited with GOTO_RATE). Prints users/s, GoTo requests per user and
 * each service's peak memory.
 *
 *   npm run build && node -r ./dist/tools/register-aliases.js dist/bench/e2e-initial-sync.js [users=10000]
 *
 * SERVICE_NODE_ARGS passes node options to every service (e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof`).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Client } from 'pg';
import { DEMO_PRINCIPALS, GotoEmulator } from '@roster/goto-emulator';
import { removeQueueKeys } from '@roster/platform';

const repo = resolve(__dirname, '..', '..');
const N = Number(process.argv[2] ?? 10_000);
const DATABASE_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const id = `bench${Date.now().toString(36)}`;
const ROLE = 'a1b2c3d4-0000-4000-8000-000000000001';

function startService(name: string, env: Record<string, string>): ChildProcess {
  const nodeArgs = process.env.SERVICE_NODE_ARGS?.split(' ').filter(Boolean) ?? [];
  return spawn(process.execPath, [...nodeArgs, '-r', join(repo, 'dist/tools/register-aliases.js'), join(repo, `dist/services/${name}/src/main.js`)], {
    env: { ...process.env, DATABASE_URL, REDIS_URL, DATABASE_SCHEMA: id, QUEUE_PREFIX: id, LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
}

async function ready(port: number): Promise<void> {
  for (let i = 0; i < 600; i++) {
    if (await fetch(`http://127.0.0.1:${port}/health/ready`).then((r) => r.ok, () => false)) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`service on ${port} not ready`);
}

function peakRssMb(child: ChildProcess): number {
  const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
  return Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
}

async function stop(children: ChildProcess[]): Promise<void> {
  children.forEach((c) => c.kill('SIGTERM'));
  await Promise.all(children.map((c) => new Promise((r) => (c.exitCode !== null ? r(null) : c.once('exit', r)))));
}

async function main(): Promise<void> {
  const rate = process.env.GOTO_RATE ? { perSecond: Number(process.env.GOTO_RATE), retryAfterSeconds: 1 } : ('unthrottled' as const);
  const goto = new GotoEmulator({ clients: [DEMO_PRINCIPALS.client], rateLimit: rate });
  await goto.start();
  const pg = new Client({ connectionString: DATABASE_URL });
  await pg.connect();

  // The watcher creates its tables; then the directory is filled in bulk and the watcher is
  // restarted with no saved cursor, so what follows is a true initial cycle.
  let watcher = startService('directory-watcher', { HTTP_PORT: '3101' });
  await ready(3101);
  await stop([watcher]);
  await pg.query(`SET search_path = ${id}`);
  await pg.query(
    `INSERT INTO demo_user (id, user_principal_name, account_enabled, attributes)
     SELECT 'u' || i, 'user' || i || '@example.com', true,
            jsonb_build_object('givenName', 'Given' || i, 'surname', 'Sur' || i, 'displayName', 'User ' || i,
                               'mail', 'user' || i || '@example.com', 'department', 'Dept' || (i % 20))
       FROM generate_series(1, $1) AS i`,
    [N],
  );
  await pg.query(`INSERT INTO demo_assignment SELECT 'User', 'u' || i, $2 FROM generate_series(1, $1) AS i`, [N, ROLE]);
  await pg.query(`DELETE FROM watch_cursor`);

  const { authUrl, scimUrl, adminUrl } = goto.endpoints;
  const audit = startService('audit', { HTTP_PORT: '3104' });
  const mapper = startService('mapper', { HTTP_PORT: '3102' });
  const connector = startService('connector', {
    HTTP_PORT: '3103',
    GOTO_AUTH_URL: authUrl,
    GOTO_SCIM_URL: scimUrl,
    GOTO_ADMIN_URL: adminUrl,
    GOTO_CLIENT_ID: DEMO_PRINCIPALS.client.clientId,
    GOTO_CLIENT_SECRET: DEMO_PRINCIPALS.client.clientSecret,
    // The connector's own limiter follows the target's allowance; unthrottled means "as fast as it goes".
    GOTO_RATE_LIMIT_PER_SECOND: process.env.GOTO_RATE ?? '100000',
  });
  await Promise.all([ready(3104), ready(3102), ready(3103)]);
  const started = Date.now();
  watcher = startService('directory-watcher', { HTTP_PORT: '3101' });
  const children = [watcher, mapper, connector, audit];

  let last = 0;
  while (goto.users.size < N) {
    await new Promise((r) => setTimeout(r, 1000));
    const s = (Date.now() - started) / 1000;
    if (goto.users.size !== last) process.stdout.write(`  ${s.toFixed(0)} s: ${goto.users.size} accounts\n`);
    if (s > 1800) throw new Error('gave up after 30 minutes');
    last = goto.users.size;
  }
  const seconds = (Date.now() - started) / 1000;
  // The log trails the accounts a little; wait for it so the figure covers the whole pipeline.
  let logged = 0;
  for (let i = 0; i < 600 && logged < N; i++) {
    logged = Number((await pg.query(`SELECT count(*) FROM provisioning_log WHERE service = 'connector' AND step = 'executed'`)).rows[0].count);
    if (logged < N) await new Promise((r) => setTimeout(r, 200));
  }
  const logSeconds = (Date.now() - started) / 1000;
  const requests = goto.requestLog.entries({ family: 'scim' }).length;
  const rss = Object.fromEntries(
    (['directory-watcher', 'mapper', 'connector', 'audit'] as const).map((n, i) => [n, `${peakRssMb(children[i]).toFixed(0)} MB`]),
  );
  await stop(children);
  await goto.stop();
  await pg.query(`DROP SCHEMA ${id} CASCADE`);
  await pg.end();
  await removeQueueKeys(REDIS_URL, id);
  console.log(
    JSON.stringify(
      {
        users: N,
        gotoRateLimit: rate,
        secondsToAllAccounts: Number(seconds.toFixed(1)),
        usersPerSecond: Math.round(N / seconds),
        secondsToAllLogged: Number(logSeconds.toFixed(1)),
        gotoScimRequestsPerUser: Number((requests / N).toFixed(3)),
        peakGotoRequestsPerSecond: goto.requestLog.peakRequestsPerSecond({ family: 'scim' }),
        peakRss: rss,
      },
      null,
      2,
    ),
  );
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
