import { Injectable } from '@nestjs/common';
import { runPrepared, type Statement } from '@roster/platform';
import { DataSource } from 'typeorm';

/** Anything that runs SQL: the data source, a command's transaction, a dedicated connection. */
export interface Sql {
  query(sql: string, params?: unknown[]): Promise<unknown>;
}

export interface IndexRow {
  attribute: string;
  key: string;
  accountId: string;
}

/** The target_account_index tables: matching attribute value → account id, per provisioning job. */
@Injectable()
export class AccountIndexRepository {
  constructor(private readonly db: DataSource) {}

  /** Milliseconds the job's last load stays fresh for (≤ 0: stale), or null when it was never loaded. */
  async freshForMs(jobId: string, ttlMs: number): Promise<number | null> {
    const [row] = (await this.db.query(
      `SELECT (extract(epoch FROM loaded_at - clock_timestamp()) * 1000 + $2)::float8 AS fresh_for
         FROM target_account_index_load WHERE job_id = $1`,
      [jobId, ttlMs],
    )) as { fresh_for: number }[];
    return row ? row.fresh_for : null;
  }

  async lastLoad(jobId: string): Promise<{ loadedAt: Date; accounts: number } | null> {
    const [row] = (await this.db.query(`SELECT loaded_at, accounts FROM target_account_index_load WHERE job_id = $1`, [jobId])) as {
      loaded_at: Date;
      accounts: number;
    }[];
    return row ? { loadedAt: row.loaded_at, accounts: row.accounts } : null;
  }

  /** The entries of the values `wanted` names that the index holds. */
  async lookup(jobId: string, wanted: Omit<IndexRow, 'accountId'>[]): Promise<IndexRow[]> {
    const rows = (await runPrepared(this.db, {
      sql: `SELECT i.attribute, i.match_key, i.account_id FROM target_account_index i
              JOIN unnest($2::text[], $3::text[]) AS w(attribute, match_key) USING (attribute, match_key)
             WHERE i.job_id = $1`,
      params: [jobId, wanted.map((w) => w.attribute), wanted.map((w) => w.key)],
    })) as { attribute: string; match_key: string; account_id: string }[];
    return rows.map((r) => ({ attribute: r.attribute, key: r.match_key, accountId: r.account_id }));
  }

  /** Writes rows as seen at `seenAt` (default: now); a row written later by a create is never made older. */
  async upsert(sql: Sql, jobId: string, rows: IndexRow[], seenAt?: Date): Promise<void> {
    if (rows.length > 0) await runPrepared(sql, this.upsertOf(jobId, rows, seenAt));
  }

  /** What `upsert` runs, to be run along with other statements (see `together`). */
  upsertOf(jobId: string, rows: readonly IndexRow[], seenAt?: Date): Statement {
    return {
      sql: `INSERT INTO target_account_index (job_id, attribute, match_key, account_id, seen_at)
            SELECT $1, a, k, id, coalesce($5::timestamptz, clock_timestamp()) FROM unnest($2::text[], $3::text[], $4::text[]) AS t(a, k, id)
            ON CONFLICT (job_id, attribute, match_key)
            DO UPDATE SET account_id = excluded.account_id, seen_at = greatest(target_account_index.seen_at, excluded.seen_at)`,
      params: [jobId, rows.map((r) => r.attribute), rows.map((r) => r.key), rows.map((r) => r.accountId), seenAt ?? null],
    };
  }

  /** The account's entries become exactly `rows` (after a create, or an update of a matching attribute). */
  async replaceAccount(sql: Sql, jobId: string, accountId: string, rows: IndexRow[]): Promise<void> {
    await this.forgetAccount(sql, jobId, accountId);
    await this.upsert(sql, jobId, rows);
  }

  async forgetAccount(sql: Sql, jobId: string, accountId: string): Promise<void> {
    await sql.query(`DELETE FROM target_account_index WHERE job_id = $1 AND account_id = $2`, [jobId, accountId]);
  }

  /** Ends a load that began at `startedAt`: entries neither listed nor written since are gone from the target. */
  async finishLoad(sql: Sql, jobId: string, startedAt: Date, accounts: number): Promise<void> {
    await sql.query(`DELETE FROM target_account_index WHERE job_id = $1 AND seen_at < $2`, [jobId, startedAt]);
    await sql.query(
      `INSERT INTO target_account_index_load (job_id, loaded_at, accounts) VALUES ($1, $2, $3)
       ON CONFLICT (job_id) DO UPDATE SET loaded_at = excluded.loaded_at, accounts = excluded.accounts`,
      [jobId, startedAt, accounts],
    );
  }

  async clock(sql: Sql): Promise<Date> {
    const [row] = (await sql.query(`SELECT clock_timestamp() AS now`)) as { now: Date }[];
    return row!.now;
  }
}
