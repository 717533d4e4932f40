import { Injectable } from '@nestjs/common';
import type { DryRun, DryRunDecision } from '@roster/contracts';
import { DataSource } from 'typeorm';

type RunRow = {
  id: string;
  job_id: string;
  status: DryRun['status'];
  started_at: Date;
  finished_at: Date | null;
  error: string | null;
  users_read: number;
  users_gone: number;
  users_failing: number;
  users_unchanged: number;
  counts: Record<string, number>;
  would_hold_deletions: boolean;
};

/** How long a dry run is kept: its list is for reading soon after, and each run may hold a row per user. */
const KEEP_DAYS = 7;

export type DryRunTotals = Pick<DryRun, 'usersRead' | 'usersGone' | 'usersFailing' | 'usersUnchanged' | 'counts' | 'wouldHoldDeletions'>;

@Injectable()
export class DryRunRepository {
  constructor(private readonly db: DataSource) {}

  /** `at`: the clock's now, the run's first sign of life. */
  async create(id: string, jobId: string, at: Date): Promise<void> {
    await this.db.query(`DELETE FROM dry_run WHERE started_at < now() - make_interval(days => $1)`, [KEEP_DAYS]);
    await this.db.query(`INSERT INTO dry_run (id, job_id, status, heartbeat_at) VALUES ($1, $2, 'running', $3)`, [id, jobId, at]);
  }

  /** The run made progress at `at`; false when it is no longer running (taken for interrupted meanwhile). */
  async beat(runId: string, at: Date): Promise<boolean> {
    const rows = (await this.db.query(`WITH beat AS (UPDATE dry_run SET heartbeat_at = $2 WHERE id = $1 AND status = 'running' RETURNING 1) SELECT * FROM beat`, [
      runId,
      at,
    ])) as unknown[];
    return rows.length === 1;
  }

  /** Marks failed every run that made no progress since `before`: the admin API running it died. Answers how many. */
  async failStale(before: Date): Promise<number> {
    const rows = (await this.db.query(
      `WITH failed AS (
         UPDATE dry_run SET status = 'failed', finished_at = now(),
                error = 'interrupted: the admin API running it stopped (no progress since ' || to_char(heartbeat_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') || '); start another'
          WHERE status = 'running' AND heartbeat_at < $1 RETURNING 1)
       SELECT * FROM failed`,
      [before],
    )) as unknown[];
    return rows.length;
  }

  /** Only what would send something, or fail: an unchanged user is counted, not listed. */
  async addItems(runId: string, decisions: DryRunDecision[]): Promise<void> {
    const listed = decisions.filter((d) => d.commands.length > 0 || d.failed);
    if (listed.length === 0) return;
    await this.db.query(
      `INSERT INTO dry_run_item (run_id, user_id, decision, commands, failed)
       SELECT $1, d->>'userId', d, ARRAY(SELECT jsonb_array_elements_text(d->'commands')), (d->>'failed')::boolean
         FROM jsonb_array_elements($2::jsonb) AS d
       ON CONFLICT DO NOTHING`,
      [runId, JSON.stringify(listed)],
    );
  }

  async finish(runId: string, totals: DryRunTotals, error: string | null): Promise<void> {
    await this.db.query(
      `UPDATE dry_run SET status = $2, finished_at = now(), error = $3, users_read = $4, users_gone = $5, users_failing = $6, users_unchanged = $7,
              counts = $8::jsonb, would_hold_deletions = $9 WHERE id = $1 AND status = 'running'`,
      [runId, error === null ? 'completed' : 'failed', error, totals.usersRead, totals.usersGone, totals.usersFailing, totals.usersUnchanged, JSON.stringify(totals.counts), totals.wouldHoldDeletions],
    );
  }

  async get(jobId: string, runId: string): Promise<DryRun | null> {
    const [row] = (await this.db.query(`SELECT * FROM dry_run WHERE id = $1 AND job_id = $2`, [runId, jobId])) as RunRow[];
    return row
      ? {
          id: row.id,
          jobId: row.job_id,
          status: row.status,
          startedAt: row.started_at.toISOString(),
          finishedAt: row.finished_at?.toISOString() ?? null,
          error: row.error,
          usersRead: row.users_read,
          usersGone: row.users_gone,
          usersFailing: row.users_failing,
          usersUnchanged: row.users_unchanged,
          counts: row.counts,
          wouldHoldDeletions: row.would_hold_deletions,
        }
      : null;
  }

  /** A keyset page in user-id order; `command` keeps users that would get it (`failed`: users whose mapping fails). */
  async items(runId: string, query: { command?: string; after?: string; limit: number }): Promise<DryRunDecision[]> {
    const rows = (await this.db.query(
      `SELECT decision FROM dry_run_item
        WHERE run_id = $1 AND ($2::text IS NULL OR user_id > $2)
          AND ($3::text IS NULL OR ($3 = 'failed' AND failed) OR $3 = ANY(commands))
        ORDER BY user_id LIMIT $4`,
      [runId, query.after ?? null, query.command ?? null, query.limit],
    )) as { decision: DryRunDecision }[];
    return rows.map((r) => r.decision);
  }
}
