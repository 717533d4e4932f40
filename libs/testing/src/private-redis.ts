import { spawn, type ChildProcess } from 'node:child_process';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import IORedis from 'ioredis';
import { freePort } from './free-port';
import { waitFor } from './wait-for';

/**
 * A redis-server of a test's own, on a free port, that the test may kill, restart and flush: never
 * the shared 127.0.0.1:6379. Without `--appendonly yes` in `args` it keeps nothing on disk, so a
 * restart is Redis losing its data.
 */
export class PrivateRedis {
  private child: ChildProcess | null = null;

  private constructor(
    private readonly port: number,
    private readonly args: string[],
    private readonly dir: string,
  ) {}

  static async start(args: string[] = [], dir = '/tmp'): Promise<PrivateRedis> {
    const redis = new PrivateRedis(await freePort(), args, dir);
    await redis.spawn();
    return redis;
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  /** Kills the server (SIGKILL: nothing is saved) and starts it again on the same port. */
  async restart(): Promise<void> {
    await this.kill();
    await this.spawn();
  }

  /** Stops the server and removes its append-only files, if it had any. */
  async stop(): Promise<void> {
    await this.kill();
    await rm(join(this.dir, this.aofDir), { recursive: true, force: true });
  }

  private get aofDir(): string {
    return `roster-test-${this.port}`;
  }

  private async spawn(): Promise<void> {
    const child = spawn(
      'redis-server',
      ['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', '--dir', this.dir, '--appenddirname', this.aofDir, ...this.args],
      { stdio: 'ignore' },
    );
    this.child = child;
    const probe = new IORedis(this.url, { lazyConnect: true, retryStrategy: () => 50, maxRetriesPerRequest: 0 });
    try {
      await waitFor(async () => child.exitCode === null && (await probe.ping()) === 'PONG', { what: `redis-server on port ${this.port}` });
    } finally {
      probe.disconnect();
    }
  }

  private async kill(): Promise<void> {
    const child = this.child;
    this.child = null;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
  }
}
