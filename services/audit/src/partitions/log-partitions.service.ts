import { Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { createPartition, dayOf, dayOfPartition, isExpired, nextDay } from './log-partition';

/**
 * Keeps provisioning_log's daily partitions: creates a day's before its first row (ahead of time, so
 * inserts rarely wait for one) and detaches and drops the days past retention, which costs the same
 * whatever they hold and leaves no dead rows behind as a DELETE would.
 */
@Injectable()
export class LogPartitions {
  private readonly logger = new Logger(LogPartitions.name);
  private readonly known = new Set<string>();

  constructor(private readonly db: DataSource) {}

  /** Makes sure a partition exists for each of `days`. */
  async ensure(days: Iterable<string>): Promise<void> {
    for (const day of new Set(days)) {
      if (this.known.has(day)) continue;
      await this.db.transaction((m) => createPartition((sql, params) => m.query(sql, params), day));
      this.known.add(day);
    }
  }

  /** Forgets what it knew, after another replica may have dropped a day. */
  forget(): void {
    this.known.clear();
  }

  /** Today's and the next two days' partitions, so the day boundary never waits for DDL. */
  ensureAhead(now: Date): Promise<void> {
    const today = dayOf(now);
    return this.ensure([today, nextDay(today), nextDay(nextDay(today))]);
  }

  /** The days with a partition, oldest first, and whether an earlier detach was interrupted. */
  async list(): Promise<{ day: string; name: string; detachPending: boolean }[]> {
    const rows: { name: string; pending: boolean }[] = await this.db.query(
      `SELECT c.relname AS name, i.inhdetachpending AS pending FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
        WHERE i.inhparent = 'provisioning_log'::regclass`,
    );
    return rows
      .flatMap((r) => {
        const day = dayOfPartition(r.name);
        return day ? [{ day, name: r.name, detachPending: r.pending }] : [];
      })
      .sort((a, b) => a.day.localeCompare(b.day));
  }

  /**
   * Drops every day whose rows are all older than `retentionDays` at `now`; rows of younger days are
   * not touched. DETACH … CONCURRENTLY lets reads and inserts on other days go on meanwhile; a detach
   * a crash interrupted is finished here next time.
   */
  async dropExpired(now: Date, retentionDays: number): Promise<string[]> {
    const dropped: string[] = [];
    for (const { day, name, detachPending } of await this.list()) {
      if (!isExpired(day, now, retentionDays)) continue;
      await this.db.query(`ALTER TABLE provisioning_log DETACH PARTITION ${name} ${detachPending ? 'FINALIZE' : 'CONCURRENTLY'}`);
      await this.db.query(`DROP TABLE ${name}`);
      this.known.delete(day);
      dropped.push(day);
    }
    if (dropped.length) this.logger.log({ dropped, retentionDays }, 'provisioning-log days past retention dropped');
    return dropped;
  }
}
