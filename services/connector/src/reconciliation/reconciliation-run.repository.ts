import { Injectable } from '@nestjs/common';
import type { ReconciliationCounts, ReconciliationRun } from '@roster/contracts';
import { DataSource } from 'typeorm';

interface RunRow {
  id: string;
  job_id: string;
  dry_run: boolean;
  trigger: ReconciliationRun['trigger'];
  reason: string | null;
  status: ReconciliationRun['status'];
  started_at: Date;
  finished_at: Date | null;
  counts: ReconciliationCounts | null;
  requests: number | null;
  unmanaged: ReconciliationRun['unmanaged'];
  error: string | null;
}

const toRun = (r: RunRow): ReconciliationRun => ({
  id: r.id,
  provisioningJobId: r.job_id,
  dryRun: r.dry_run,
  trigger: r.trigger,
  reason: r.reason,
  status: r.status,
  startedAt: r.started_at.toISOString(),
  finishedAt: r.finished_at?.toISOString() ?? null,
  counts: r.counts,
  requests: r.requests,
  unmanaged: r.unmanaged,
  error: r.error,
});

/** Runs of reconciliation, in PostgreSQL so any replica answers for a run another one made. */
@Injectable()
export class ReconciliationRunRepository {
  constructor(private readonly db: DataSource) {}

  async create(run: Pick<ReconciliationRun, 'id' | 'provisioningJobId' | 'dryRun' | 'trigger' | 'reason'>): Promise<ReconciliationRun> {
    const [row] = (await this.db.query(
      `INSERT INTO connector_reconciliation_run (id, job_id, dry_run, trigger, reason) VALUES ($1, $2, $3, $4, $5) RETURNING *`,
      [run.id, run.provisioningJobId, run.dryRun, run.trigger, run.reason],
    )) as RunRow[];
    return toRun(row!);
  }

  async finish(id: string, outcome: Pick<ReconciliationRun, 'counts' | 'requests' | 'unmanaged'>): Promise<void> {
    await this.db.query(
      `UPDATE connector_reconciliation_run SET status = 'completed', finished_at = clock_timestamp(), counts = $2, requests = $3, unmanaged = $4 WHERE id = $1`,
      [id, JSON.stringify(outcome.counts), outcome.requests, JSON.stringify(outcome.unmanaged)],
    );
  }

  async fail(id: string, error: string): Promise<void> {
    await this.db.query(`UPDATE connector_reconciliation_run SET status = 'failed', finished_at = clock_timestamp(), error = $2 WHERE id = $1`, [
      id,
      error,
    ]);
  }

  async get(id: string): Promise<ReconciliationRun | null> {
    const [row] = (await this.db.query(`SELECT * FROM connector_reconciliation_run WHERE id = $1`, [id])) as RunRow[];
    return row ? toRun(row) : null;
  }

  /** The job's run in progress, if any (the newest, should a replica have died during one). */
  async running(jobId: string): Promise<ReconciliationRun | null> {
    const [row] = (await this.db.query(
      `SELECT * FROM connector_reconciliation_run WHERE job_id = $1 AND status = 'running' ORDER BY started_at DESC LIMIT 1`,
      [jobId],
    )) as RunRow[];
    return row ? toRun(row) : null;
  }

  /** How long ago the job's last run that changed GoTo (scheduled or not) started, by PostgreSQL's clock; null: never. */
  async msSinceLastRun(jobId: string): Promise<number | null> {
    const [row] = (await this.db.query(
      `SELECT extract(epoch FROM clock_timestamp() - max(started_at)) * 1000 AS ms FROM connector_reconciliation_run WHERE job_id = $1 AND NOT dry_run`,
      [jobId],
    )) as { ms: number | null }[];
    return row?.ms === null || row?.ms === undefined ? null : Number(row.ms);
  }

  /** A run left `running` by a replica that died: it holds no lock any more, so it is over. */
  async abandon(jobId: string): Promise<void> {
    await this.db.query(
      `UPDATE connector_reconciliation_run SET status = 'failed', finished_at = clock_timestamp(), error = 'abandoned: the replica running it stopped'
        WHERE job_id = $1 AND status = 'running'`,
      [jobId],
    );
  }
}
