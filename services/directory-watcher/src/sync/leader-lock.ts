import { advisoryKey } from '@roster/platform';
import type { DataSource, QueryRunner } from 'typeorm';

/**
 * A PostgreSQL session advisory lock held on its own connection: one watcher replica per job reads
 * the directory, the others stand by. If the connection dies (PostgreSQL restart) the lock is gone
 * too, and the next `acquire` takes it afresh on a new connection.
 */
export class LeaderLock {
  private runner: QueryRunner | null = null;
  private readonly key: string;

  constructor(
    private readonly db: DataSource,
    name: string,
  ) {
    this.key = advisoryKey(name);
  }

  async acquire(): Promise<boolean> {
    if (this.runner) {
      try {
        await this.runner.query('SELECT 1');
        return true;
      } catch {
        await this.release();
      }
    }
    const runner = this.db.createQueryRunner();
    await runner.connect();
    const [row] = (await runner.query('SELECT pg_try_advisory_lock($1) AS ok', [this.key])) as { ok: boolean }[];
    if (!row.ok) {
      await runner.release();
      return false;
    }
    this.runner = runner;
    return true;
  }

  async release(): Promise<void> {
    const runner = this.runner;
    this.runner = null;
    if (!runner) return;
    await runner.query('SELECT pg_advisory_unlock($1)', [this.key]).catch(() => undefined);
    await runner.release().catch(() => undefined);
  }
}
