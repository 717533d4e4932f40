import { Injectable } from '@nestjs/common';
import type { CycleFacts } from '@roster/provisioning-log';
import { DataSource } from 'typeorm';

/**
 * The records that settle a change: the connector's outcome of a write (executed, failed for good,
 * skipped as stale) or the mapper's decision that nothing is to be sent (skipped, held, failed).
 */
const OUTCOME = `((service = 'connector' AND step IN ('executed', 'failed', 'skipped')) OR (service = 'mapper' AND step IN ('skipped', 'failed')))`;

/** What the watcher writes about a cycle: `received` when a full cycle begins, `executed` once it has read everything. */
interface CycleRecord {
  cycle_id: string;
  step: string;
  occurred_at: Date;
  cycle: { kind?: CycleFacts['kind']; startedAt?: string; usersRead?: number; usersInScope?: number } | null;
}

/** Reads a job's cycles out of the provisioning log, for its progress bar. */
@Injectable()
export class CycleFactsRepository {
  constructor(private readonly db: DataSource) {}

  /** The job's newest cycles (up to `count`), newest first. */
  async newest(jobId: string, count: number): Promise<CycleFacts[]> {
    return this.facts(jobId, await this.newestIds(jobId, count));
  }

  /**
   * The newest of the job's last `within` cycles that emitted a change, or null: an incremental cycle
   * that found nothing says little of the sync before it. Each cycle is probed through the cycle index,
   * so an empty one costs its few records and a large one stops at its first change.
   */
  async newestWithChanges(jobId: string, within: number): Promise<CycleFacts | null> {
    const ids = await this.newestIds(jobId, within);
    const [found]: { cycle_id: string }[] = await this.db.query(
      `SELECT c.cycle_id FROM unnest($2::text[]) WITH ORDINALITY AS c(cycle_id, n)
        WHERE EXISTS (SELECT 1 FROM provisioning_log l WHERE l.provisioning_job_id = $1 AND l.cycle_id = c.cycle_id AND l.service = 'directory-watcher' AND l.action = 'Import')
        ORDER BY c.n LIMIT 1`,
      [jobId, ids],
    );
    return found ? ((await this.facts(jobId, [found.cycle_id]))[0] ?? null) : null;
  }

  private async newestIds(jobId: string, count: number): Promise<string[]> {
    // A cycle writes two records at most (received, executed): twice as many records hold `count` cycles.
    const records: { cycle_id: string }[] = await this.db.query(
      `SELECT cycle_id FROM provisioning_log
        WHERE provisioning_job_id = $1 AND service = 'directory-watcher' AND action = 'Other' AND cycle_id IS NOT NULL
        ORDER BY occurred_at DESC LIMIT $2`,
      [jobId, count * 2],
    );
    return [...new Set(records.map((r) => r.cycle_id))].slice(0, count);
  }

  private async facts(jobId: string, ids: string[]): Promise<CycleFacts[]> {
    if (ids.length === 0) return [];
    const records: CycleRecord[] = await this.db.query(
      `SELECT cycle_id, step, occurred_at, details->'cycle' AS cycle FROM provisioning_log
        WHERE provisioning_job_id = $1 AND cycle_id = ANY($2::text[]) AND service = 'directory-watcher' AND action = 'Other'`,
      [jobId, ids],
    );
    const [totals, counts]: [
      { cycle_id: string; changes: number; processed: number; last_processed_at: Date | null }[],
      { cycle_id: string; action: string; status: string; count: number }[],
    ] = await Promise.all([
      this.db.query(
        `SELECT cycle_id,
                count(*) FILTER (WHERE service = 'directory-watcher' AND action = 'Import')::int AS changes,
                count(DISTINCT correlation_id) FILTER (WHERE ${OUTCOME})::int AS processed,
                max(occurred_at) FILTER (WHERE ${OUTCOME}) AS last_processed_at
           FROM provisioning_log WHERE provisioning_job_id = $1 AND cycle_id = ANY($2::text[]) GROUP BY cycle_id`,
        [jobId, ids],
      ),
      this.db.query(
        `SELECT cycle_id, action, status, count(*)::int AS count FROM provisioning_log
          WHERE provisioning_job_id = $1 AND cycle_id = ANY($2::text[]) AND ${OUTCOME} GROUP BY cycle_id, action, status`,
        [jobId, ids],
      ),
    ]);
    return ids.map((id): CycleFacts => {
      const begun = records.find((r) => r.cycle_id === id && r.step === 'received');
      const read = records.find((r) => r.cycle_id === id && r.step === 'executed');
      const total = totals.find((t) => t.cycle_id === id);
      return {
        cycleId: id,
        kind: read?.cycle?.kind ?? begun?.cycle?.kind ?? null,
        startedAt: read?.cycle?.startedAt ?? (begun ?? read)!.occurred_at.toISOString(),
        readCompletedAt: read?.occurred_at.toISOString() ?? null,
        usersRead: read?.cycle?.usersRead ?? null,
        usersInScope: read?.cycle?.usersInScope ?? begun?.cycle?.usersInScope ?? null,
        changes: total?.changes ?? 0,
        processed: total?.processed ?? 0,
        lastProcessedAt: total?.last_processed_at?.toISOString() ?? null,
        counts: counts.filter((c) => c.cycle_id === id).map(({ action, status, count }) => ({ action, status, count })),
      };
    });
  }

  /** Changes of the job settled since `since`: the measured rate. */
  async processedSince(jobId: string, since: Date): Promise<number> {
    const [row]: { n: number }[] = await this.db.query(
      `SELECT count(DISTINCT correlation_id)::int AS n FROM provisioning_log WHERE provisioning_job_id = $1 AND occurred_at > $2 AND ${OUTCOME}`,
      [jobId, since],
    );
    return row!.n;
  }
}
