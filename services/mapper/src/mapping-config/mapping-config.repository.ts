import { Injectable } from '@nestjs/common';
import type { MappingConfig } from '@roster/contracts';
import { DataSource, type EntityManager } from 'typeorm';

export interface JobRow {
  jobId: string;
  currentVersion: number;
  rescopedVersion: number;
  approvalRequired: boolean;
  approvalReason: string | null;
}

/** Versioned mapping configurations and the per-job flags the mapper keeps. */
@Injectable()
export class MappingConfigRepository {
  constructor(private readonly db: DataSource) {}

  async job(jobId: string, m: EntityManager = this.db.manager): Promise<JobRow | null> {
    const [row] = (await m.query(
      `SELECT job_id, current_version, rescoped_version, approval_required, approval_reason FROM mapper_job WHERE job_id = $1`,
      [jobId],
    )) as { job_id: string; current_version: number; rescoped_version: number; approval_required: boolean; approval_reason: string | null }[];
    return row
      ? {
          jobId: row.job_id,
          currentVersion: row.current_version,
          rescopedVersion: row.rescoped_version,
          approvalRequired: row.approval_required,
          approvalReason: row.approval_reason,
        }
      : null;
  }

  /** Version in force, read under the shared side of the lock `append` takes exclusively. */
  async lockVersion(m: EntityManager, jobId: string): Promise<number> {
    await m.query(`SELECT pg_advisory_xact_lock_shared(hashtext('roster-mapping:' || $1))`, [jobId]);
    const [row] = (await m.query(`SELECT current_version FROM mapper_job WHERE job_id = $1`, [jobId])) as { current_version: number }[];
    return row.current_version;
  }

  async config(jobId: string, version: number, m: EntityManager = this.db.manager): Promise<MappingConfig> {
    const [row] = (await m.query(`SELECT config FROM mapping_config WHERE job_id = $1 AND version = $2`, [jobId, version])) as {
      config: MappingConfig;
    }[];
    if (!row) throw new Error(`mapping configuration ${jobId} v${version} is missing`);
    return row.config;
  }

  /** The job's row, created with `initial` as version 1 when the job has never been configured. */
  async ensure(jobId: string, initial: MappingConfig): Promise<JobRow> {
    return (await this.job(jobId)) ?? (await this.append(jobId, initial, true), (await this.job(jobId))!);
  }

  /** Stores a new version; the first save of a job creates it (rescoped, since it has no users yet). */
  async append(jobId: string, config: MappingConfig, onlyIfNew = false): Promise<{ version: number; first: boolean }> {
    return this.db.transaction(async (m) => {
      await m.query(`SELECT pg_advisory_xact_lock(hashtext('roster-mapping:' || $1))`, [jobId]);
      const job = await this.job(jobId, m);
      if (job && onlyIfNew) return { version: job.currentVersion, first: false };
      const version = (job?.currentVersion ?? 0) + 1;
      await m.query(`INSERT INTO mapping_config (job_id, version, config) VALUES ($1, $2, $3)`, [jobId, version, JSON.stringify(config)]);
      await m.query(
        `INSERT INTO mapper_job (job_id, current_version, rescoped_version) VALUES ($1, $2, $2)
         ON CONFLICT (job_id) DO UPDATE SET current_version = excluded.current_version, updated_at = now()`,
        [jobId, version],
      );
      return { version, first: job === null };
    });
  }

  /** The version in force if it was saved after `at` (ISO 8601), else null. */
  async versionSavedAfter(jobId: string, at: string): Promise<number | null> {
    const [row] = (await this.db.query(
      `SELECT c.version FROM mapper_job j JOIN mapping_config c ON c.job_id = j.job_id AND c.version = j.current_version
        WHERE j.job_id = $1 AND c.created_at > $2::timestamptz`,
      [jobId, at],
    )) as { version: number }[];
    return row?.version ?? null;
  }

  async markRescoped(jobId: string, version: number): Promise<void> {
    await this.db.query(`UPDATE mapper_job SET rescoped_version = greatest(rescoped_version, $2) WHERE job_id = $1`, [jobId, version]);
  }

  async unfinishedRescopes(): Promise<{ jobId: string; version: number }[]> {
    const rows = (await this.db.query(`SELECT job_id, current_version FROM mapper_job WHERE rescoped_version < current_version`)) as {
      job_id: string;
      current_version: number;
    }[];
    return rows.map((r) => ({ jobId: r.job_id, version: r.current_version }));
  }

  async setApproval(m: EntityManager, jobId: string, required: boolean, reason: string | null): Promise<void> {
    await m.query(`UPDATE mapper_job SET approval_required = $2, approval_reason = $3, updated_at = now() WHERE job_id = $1`, [
      jobId,
      required,
      reason,
    ]);
  }
}
