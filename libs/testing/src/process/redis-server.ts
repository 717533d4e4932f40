import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { freePort } from '../free-port';
import { killOnExit } from './orphan-guard';
import { waitFor } from '../wait-for';

export interface RedisServerOptions {
  /** Append-only file with `appendfsync everysec` (what Roster asks for); without it a kill loses every key. */
  aof: boolean;
}

/**
 * A `redis-server` of a test's own, on a free port with its data in a temp dir, so the test may kill
 * it. A restart reuses the port and the dir: with AOF the data comes back, without it Redis starts empty.
 */
export class RedisServer {
  private child: ChildProcess | undefined;
  private exited: Promise<void> = Promise.resolve();

  private constructor(
    readonly port: number,
    readonly dir: string,
    readonly options: RedisServerOptions,
  ) {}

  static async start(options: RedisServerOptions): Promise<RedisServer> {
    const server = new RedisServer(await freePort(), mkdtempSync(join(tmpdir(), 'roster-redis-')), options);
    await server.restart();
    return server;
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  /** The server process, while it runs (benches read its CPU from /proc). */
  get pid(): number | undefined {
    return this.child?.pid;
  }

  /** Starts the server again (after `kill`) and resolves once it answers PING. */
  async restart(): Promise<void> {
    const persistence = this.options.aof ? ['--appendonly', 'yes', '--appendfsync', 'everysec'] : ['--appendonly', 'no'];
    const child = spawn(
      'redis-server',
      ['--port', String(this.port), '--bind', '127.0.0.1', '--dir', this.dir, '--save', '', '--maxmemory-policy', 'noeviction', ...persistence],
      { stdio: 'ignore' },
    );
    this.child = child;
    this.exited = new Promise((resolve) => child.once('exit', () => resolve()));
    killOnExit(child);
    await waitFor(() => this.ping(), { what: `redis-server on port ${this.port}`, timeoutMs: 30_000, intervalMs: 100 });
  }

  /** kill -9: whatever was not yet in the AOF is lost. */
  async kill(): Promise<void> {
    this.child?.kill('SIGKILL');
    await this.exited;
    this.child = undefined;
  }

  async stop(): Promise<void> {
    await this.kill();
    rmSync(this.dir, { recursive: true, force: true });
  }

  private async ping(): Promise<boolean> {
    const client = new Redis(this.port, '127.0.0.1', { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
    // Refused while the server starts: the answer is `false`, not an unhandled error event.
    client.on('error', () => undefined);
    try {
      await client.connect();
      return (await client.ping()) === 'PONG';
    } catch {
      return false;
    } finally {
      client.disconnect();
    }
  }
}
