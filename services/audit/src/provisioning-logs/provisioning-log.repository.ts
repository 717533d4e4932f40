import { Inject, Injectable } from '@nestjs/common';
import type { AuditRecord } from '@roster/contracts';
import { CLOCK, type Clock, SERVICE_CONFIG, forgetStoredBatch } from '@roster/platform';
import { toLogRow, type LogRow, type StoredLogRow } from '@roster/provisioning-log';
import QueryStream from 'pg-query-stream';
import type { Readable } from 'node:stream';
import { DataSource } from 'typeorm';
import type { AuditConfig } from '../config/audit.config';
import { dayOf, isExpired } from '../partitions/log-partition';
import { LogPartitions } from '../partitions/log-partitions.service';
import { LOG_COLUMNS, insertRowsSql, selectRows, type LogSelection } from './log-statements';
import type { LogCursor } from './log-cursor';

export interface LogPage {
  rows: StoredLogRow[];
  /** Where the next page starts, when there is one. */
  next: LogCursor | null;
}

/** How many rows an export fetches from PostgreSQL at a time: what it holds at most, besides the socket's buffer. */
export const EXPORT_BATCH_ROWS = 500;

const NO_PARTITION = /no partition of relation/;

@Injectable()
export class ProvisioningLogRepository {
  constructor(
    private readonly db: DataSource,
    private readonly partitions: LogPartitions,
    @Inject(SERVICE_CONFIG) private readonly config: AuditConfig,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /**
   * Stores the records, each once: one already stored (a redelivered job, a step repeated after a
   * crash) is left out. A partitioned table cannot hold a unique index on the id alone, so inserts
   * take turns under an advisory lock and look the ids up first. A record whose day has passed
   * retention is not stored: its partition is gone or about to be.
   */
  async insertMany(records: AuditRecord[]): Promise<void> {
    const now = new Date(this.clock());
    const rows = new Map<string, LogRow>();
    for (const record of records) {
      if (!rows.has(record.id) && !isExpired(dayOf(record.occurredAt), now, this.config.LOG_RETENTION_DAYS)) rows.set(record.id, toLogRow(record));
    }
    if (rows.size > 0) await this.insertOrLookAgain([...rows.values()]);
  }

  /** Every record of the queue message is stored: it leaves the outbox of the service that sent it, as the log holds them now. */
  forgetRelayed(batchId: string): Promise<void> {
    return forgetStoredBatch(this.db, batchId);
  }

  private async insertOrLookAgain(rows: LogRow[]): Promise<void> {
    try {
      await this.insertNew(rows);
    } catch (error) {
      // Another replica may have dropped a day this one still believed in: look again, once.
      if (!NO_PARTITION.test(String((error as Error).message))) throw error;
      this.partitions.forget();
      await this.insertNew(rows);
    }
  }

  private async insertNew(rows: LogRow[]): Promise<void> {
    await this.partitions.ensure(rows.map((r) => dayOf(r.occurred_at)));
    await this.db.transaction(async (m) => {
      await m.query(`SELECT pg_advisory_xact_lock(hashtext(current_schema() || '.provisioning_log inserts'))`);
      const stored: { id: string }[] = await m.query(`SELECT id FROM provisioning_log WHERE id = ANY($1::text[])`, [rows.map((r) => r.id)]);
      const known = new Set(stored.map((r) => r.id));
      const fresh = rows.filter((r) => !known.has(r.id));
      if (fresh.length) await m.query(insertRowsSql(), [JSON.stringify(fresh)]);
    });
  }

  async findById(id: string): Promise<StoredLogRow | null> {
    const [row] = await this.db.query(`SELECT ${LOG_COLUMNS} FROM provisioning_log WHERE id = $1 LIMIT 1`, [id]);
    return row ?? null;
  }

  /** Newest first, keyset-paginated, so a deep page costs what the first does. */
  async page(selection: LogSelection, limit: number, after: LogCursor | null): Promise<LogPage> {
    const { sql, params } = selectRows(selection, after);
    const rows: StoredLogRow[] = await this.db.query(`${sql} LIMIT ${params.add(limit + 1)}`, params.values);
    const page = rows.slice(0, limit);
    const last = page.at(-1);
    return { rows: page, next: rows.length > limit && last ? { occurredAt: new Date(last.occurred_at).toISOString(), id: last.id } : null };
  }

  /**
   * The selected rows, newest first, as a stream read from a cursor EXPORT_BATCH_ROWS at a time: an
   * export of any size holds a batch, never the whole set. `close` gives the connection back; call it
   * however the stream ends.
   */
  async stream(selection: LogSelection): Promise<{ rows: Readable; close: () => void }> {
    const { sql, params } = selectRows(selection, null);
    const pool = (this.db.driver as unknown as { master: { connect(): Promise<PoolClient> } }).master;
    const client = await pool.connect();
    const rows = client.query(new QueryStream(sql, params.values, { batchSize: EXPORT_BATCH_ROWS, highWaterMark: EXPORT_BATCH_ROWS }));
    let closed = false;
    return {
      rows,
      close: () => {
        if (closed) return;
        closed = true;
        // A connection whose cursor was abandoned mid-way is not reused.
        client.release(rows.readableEnded ? undefined : true);
      },
    };
  }
}

interface PoolClient {
  query<T extends Readable>(stream: T): T;
  release(destroy?: boolean): void;
}
