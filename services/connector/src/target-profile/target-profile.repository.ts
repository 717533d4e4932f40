import { Injectable } from '@nestjs/common';
import { targetProfileSchema, type TargetProfile } from '@roster/contracts';
import { DataSource } from 'typeorm';

/** The parts of a profile that are read separately (schema at Test Connection and start, licenses by their own reader). */
export type TargetProfilePart = Partial<Pick<TargetProfile, 'userAttributes' | 'licenses' | 'bulk'>>;

/** connector_target_profile: one row per job, each part replaced when it is read again. */
@Injectable()
export class TargetProfileRepository {
  constructor(private readonly db: DataSource) {}

  async get(jobId: string): Promise<TargetProfile | null> {
    const [row] = (await this.db.query(`SELECT profile FROM connector_target_profile WHERE provisioning_job_id = $1`, [jobId])) as {
      profile: unknown;
    }[];
    return row ? targetProfileSchema.parse(row.profile) : null;
  }

  /** Stores the parts given and keeps the others; a part never read yet is null. */
  async save(jobId: string, part: TargetProfilePart, readAt: Date = new Date()): Promise<void> {
    const update = { ...part, readAt: readAt.toISOString() };
    const created = targetProfileSchema.parse({ provisioningJobId: jobId, userAttributes: null, licenses: null, ...update });
    await this.db.query(
      `INSERT INTO connector_target_profile (provisioning_job_id, profile, read_at) VALUES ($1, $2::jsonb, $3)
       ON CONFLICT (provisioning_job_id)
       DO UPDATE SET profile = connector_target_profile.profile || $4::jsonb, read_at = excluded.read_at`,
      [jobId, JSON.stringify(created), readAt, JSON.stringify(update)],
    );
  }
}
