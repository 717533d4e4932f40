/**
 * `npm start`: Roster end to end on one machine, with demo data. Uses DATABASE_URL / REDIS_URL when
 * set, otherwise an embedded PostgreSQL and a throwaway redis-server; runs the GoTo emulator in
 * place of GoToMeeting; starts the four pipeline services and the admin API as separate processes,
 * makes an admin API key; assigns a demo user and waits until GoTo and the provisioning log show it.
 * ROSTER_QUICKSTART_EXIT=1 stops right after.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createWriteStream, mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Client } from 'pg';
import { DEMO_PRINCIPALS, GotoEmulator } from '@roster/goto-emulator';
import { INTERNAL_TOKEN_VARIABLE, SECRET_KEY_VARIABLE, SecretBox, internalAuthorization, removeQueueKeys } from '@roster/platform';
import { createApiKey } from '../admin/create-key';
import { DEMO_USER_ID, DEMO_USER_NAME, assignDemoUser } from './demo-user';
import { startInfrastructure } from './local-infrastructure';

const repo = resolve(__dirname, '..', '..', '..');
const stateDir = join(repo, '.roster');

const PORTS = { watcher: 3001, mapper: 3002, connector: 3003, audit: 3004, admin: 3005, goto: 4100 };
/** The GoTo emulator forgets everything when it stops, so the demo's own state starts fresh too. */
const DEMO_SCHEMA = 'roster_quickstart';
const DEMO_PREFIX = 'roster-quickstart';

async function resetDemoState(databaseUrl: string, redisUrl: string): Promise<void> {
  const pg = new Client({ connectionString: databaseUrl });
  await pg.connect();
  await pg.query(`DROP SCHEMA IF EXISTS ${DEMO_SCHEMA} CASCADE`);
  await pg.end();
  await removeQueueKeys(redisUrl, DEMO_PREFIX);
}

async function waitReady(name: string, url: string): Promise<void> {
  for (let i = 0; i < 600; i++) {
    const ok = await fetch(`${url}/health/ready`).then((r) => r.ok, () => false);
    if (ok) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${name} did not become ready; see ${join(stateDir, 'logs', `${name}.log`)}`);
}

async function main(): Promise<void> {
  const infra = await startInfrastructure(process.env, stateDir);
  await resetDemoState(infra.databaseUrl, infra.redisUrl);
  const goto = new GotoEmulator({ clients: [DEMO_PRINCIPALS.client], adminUsers: [DEMO_PRINCIPALS.admin] });
  const gotoUrl = await goto.start(PORTS.goto);
  mkdirSync(join(stateDir, 'logs'), { recursive: true });

  const common = {
    ...process.env,
    DATABASE_URL: infra.databaseUrl,
    REDIS_URL: infra.redisUrl,
    DATABASE_SCHEMA: DEMO_SCHEMA,
    QUEUE_PREFIX: DEMO_PREFIX,
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'info',
    // The admin API encrypts job credentials with it; the demo's database is thrown away each run.
    [SECRET_KEY_VARIABLE]: process.env[SECRET_KEY_VARIABLE] ?? SecretBox.generateKey(),
    // What the admin API presents to the pipeline services, whose routes refuse anyone else.
    [INTERNAL_TOKEN_VARIABLE]: process.env[INTERNAL_TOKEN_VARIABLE] ?? randomBytes(32).toString('base64url'),
  };
  // For reading the pipeline's internal routes by hand (see the README); only the owner may read it.
  writeFileSync(join(stateDir, 'internal-token'), common[INTERNAL_TOKEN_VARIABLE], { mode: 0o600 });
  const gotoConnection = {
    GOTO_AUTH_URL: goto.endpoints.authUrl,
    GOTO_SCIM_URL: goto.endpoints.scimUrl,
    GOTO_ADMIN_URL: goto.endpoints.adminUrl,
    GOTO_CLIENT_ID: DEMO_PRINCIPALS.client.clientId,
    GOTO_CLIENT_SECRET: DEMO_PRINCIPALS.client.clientSecret,
  };
  const services: Record<string, Record<string, string>> = {
    audit: { HTTP_PORT: String(PORTS.audit) },
    'directory-watcher': { HTTP_PORT: String(PORTS.watcher), WATCH_POLL_INTERVAL_MS: '2000' },
    mapper: { HTTP_PORT: String(PORTS.mapper) },
    connector: { HTTP_PORT: String(PORTS.connector), ...gotoConnection },
    // The same GoTo variables make the admin API's default job.
    'admin-api': { HTTP_PORT: String(PORTS.admin), CONSOLE_DIR: join(repo, 'dist/console'), ...gotoConnection },
  };
  const children: ChildProcess[] = [];
  const shutdown = async (code: number) => {
    children.forEach((c) => c.kill('SIGTERM'));
    await Promise.all(children.map((c) => new Promise((r) => (c.exitCode !== null ? r(null) : c.once('exit', r)))));
    await goto.stop();
    await infra.stop();
    process.exit(code);
  };
  process.once('SIGINT', () => void shutdown(0));
  process.once('SIGTERM', () => void shutdown(0));

  for (const [name, env] of Object.entries(services)) {
    const log = createWriteStream(join(stateDir, 'logs', `${name}.log`), { flags: 'a' });
    const child = spawn(
      process.execPath,
      ['-r', join(repo, 'dist/tools/register-aliases.js'), join(repo, `dist/services/${name}/src/main.js`)],
      { env: { ...common, ...env }, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    child.stdout!.pipe(log);
    child.stderr!.pipe(log);
    child.once('exit', (code) => code && console.error(`${name} exited with ${code}; see .roster/logs/${name}.log`));
    children.push(child);
  }
  const url = (port: number) => `http://127.0.0.1:${port}`;
  await Promise.all([
    waitReady('audit', url(PORTS.audit)),
    waitReady('directory-watcher', url(PORTS.watcher)),
    waitReady('mapper', url(PORTS.mapper)),
    waitReady('connector', url(PORTS.connector)),
    waitReady('admin-api', url(PORTS.admin)),
  ]);
  const adminKey = await createApiKey({ ...common, ...services['admin-api'], LOG_LEVEL: 'silent' }, { name: 'quickstart', role: 'admin' });

  const directory = `${url(PORTS.admin)}/demo-directory`;
  await assignDemoUser(url(PORTS.admin), adminKey.key);
  const internal = { headers: internalAuthorization(common[INTERNAL_TOKEN_VARIABLE]) };

  const deadline = Date.now() + 60_000;
  let logged = false;
  while (Date.now() < deadline && !(goto.users.getByUserName(DEMO_USER_NAME) && logged)) {
    const res = await fetch(`${url(PORTS.audit)}/provisioning-logs?userId=${DEMO_USER_ID}&step=executed`, internal).then((r) => r.json(), () => null);
    logged = ((res as { items?: unknown[] } | null)?.items?.length ?? 0) > 0;
    await new Promise((r) => setTimeout(r, 200));
  }
  const account = goto.users.getByUserName(DEMO_USER_NAME);
  if (!account || !logged) {
    console.error('The demo user did not reach GoTo within 60 s; see .roster/logs/*.log');
    return shutdown(1);
  }
  console.log(`
Roster is running.
  Demo user ada.lovelace@example.com is provisioned in GoTo (account ${account.id}).
  Web console:        ${url(PORTS.admin)}/console  (sign in with the admin key below)
  Demo directory:     ${directory}/users, /groups, /assignments  with the admin key below (API in the README)
  Provisioning log:   ${url(PORTS.audit)}/provisioning-logs?userId=demo-ada  with  -H "authorization: Bearer $(cat .roster/internal-token)"
  Sync progress:      ${url(PORTS.watcher)}/sync/status  (the same; these are the pipeline's internal routes)
  GoTo accounts:      ${gotoUrl}/_emulator/users?userName=ada.lovelace@example.com  (/_emulator/groups, /_emulator/state)
  Admin API:          ${url(PORTS.admin)}/jobs  with  -H 'authorization: Bearer ${adminKey.key}'
                      (admin key shown only now; OpenAPI at /docs, security model in the README)
  Health / metrics:   http://127.0.0.1:<3001-3005>/health/ready, /metrics (the admin API's needs a key)
  Service logs:       .roster/logs/
Press Ctrl+C to stop.`);
  if (process.env.ROSTER_QUICKSTART_EXIT === '1') await shutdown(0);
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
