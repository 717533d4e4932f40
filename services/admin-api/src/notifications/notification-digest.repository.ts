import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { DIGEST_LISTED } from './digest-mail';

export interface DigestState {
  pendingSince: number | null;
  lastSentAt: number | null;
  digestsSent: number;
}

/** A claimed event among the first DIGEST_LISTED of its kind, with its kind's totals. */
export interface ClaimedEvent {
  kind: string;
  facts: unknown;
  total: number;
  held: number;
}

interface StateRow {
  pending_since: Date | null;
  last_sent_at: Date | null;
  digests_sent: number;
}

/** The digest of one job inside the transaction that holds its row. */
export class DigestTransaction {
  constructor(
    private readonly m: EntityManager,
    private readonly jobId: string,
  ) {}

  async setPendingSince(at: Date | null): Promise<void> {
    await this.m.query(`UPDATE notification_digest SET pending_since = $2 WHERE job_id = $1`, [this.jobId, at]);
  }

  /**
   * Marks every pending event of the job handled and answers, in one statement, how many of each
   * kind there were and the first DIGEST_LISTED of each: an event written meanwhile stays pending
   * for the next digest, never counted without being claimed. Rolled back if the mail fails.
   */
  async claim(at: Date): Promise<ClaimedEvent[]> {
    return this.m.query(
      `WITH claimed AS (
         UPDATE notification_event SET handled_at = $2 WHERE job_id = $1 AND handled_at IS NULL RETURNING id, kind, occurred_at, facts
       ), ranked AS (
         SELECT kind, facts, occurred_at, id,
                row_number() OVER (PARTITION BY kind ORDER BY occurred_at, id) AS n,
                count(*) OVER (PARTITION BY kind) AS total,
                sum(CASE WHEN kind = 'deletions-held' THEN (facts->>'held')::int ELSE 0 END) OVER (PARTITION BY kind) AS held
           FROM claimed)
       SELECT kind, facts, total::int AS total, held::int AS held FROM ranked WHERE n <= $3 ORDER BY occurred_at, id`,
      [this.jobId, at, DIGEST_LISTED],
    );
  }

  async recordSent(at: Date): Promise<void> {
    await this.m.query(
      `UPDATE notification_digest SET last_sent_at = $2, pending_since = NULL, digests_sent = digests_sent + 1, last_error = NULL, last_error_at = NULL
        WHERE job_id = $1`,
      [this.jobId, at],
    );
  }
}

@Injectable()
export class NotificationDigestRepository {
  constructor(private readonly db: DataSource) {}

  async jobsWithPendingEvents(): Promise<string[]> {
    const rows = await this.db.query<{ job_id: string }[]>(`SELECT DISTINCT job_id FROM notification_event WHERE handled_at IS NULL ORDER BY job_id`);
    return rows.map((r) => r.job_id);
  }

  /**
   * Runs `work` in a transaction holding the job's digest row, so one replica at a time is the job's
   * sender; answers undefined without running it while another replica holds the row.
   */
  async withJob<T>(jobId: string, work: (state: DigestState, tx: DigestTransaction) => Promise<T>): Promise<T | undefined> {
    return this.db.transaction(async (m) => {
      await m.query(`INSERT INTO notification_digest (job_id) VALUES ($1) ON CONFLICT DO NOTHING`, [jobId]);
      const [row] = (await m.query(`SELECT * FROM notification_digest WHERE job_id = $1 FOR UPDATE SKIP LOCKED`, [jobId])) as StateRow[];
      if (!row) return undefined;
      const state = { pendingSince: row.pending_since?.getTime() ?? null, lastSentAt: row.last_sent_at?.getTime() ?? null, digestsSent: row.digests_sent };
      return work(state, new DigestTransaction(m, jobId));
    });
  }

  /** A digest the mail server refused: kept pending, tried again once the gathering time has passed anew. */
  async recordFailure(jobId: string, at: Date, error: string): Promise<void> {
    await this.db.query(`UPDATE notification_digest SET last_error = $3, last_error_at = $2, pending_since = $2 WHERE job_id = $1`, [jobId, at, error.slice(0, 2000)]);
  }

  async forgetHandledBefore(at: Date): Promise<void> {
    await this.db.query(`DELETE FROM notification_event WHERE handled_at < $1`, [at]);
  }
}
