import { Injectable } from '@nestjs/common';
import { targetProfileSchema, type TargetProfile } from '@roster/contracts';
import { DataSource } from 'typeorm';

/** PostgreSQL's undefined_table: the connector, which owns the table, has not migrated yet. */
const UNDEFINED_TABLE = '42P01';

/** Reads the target profile the connector stores (connector_target_profile), checked against its contract. */
@Injectable()
export class TargetProfileReader {
  constructor(private readonly db: DataSource) {}

  /** Null when the connector has not read the target yet. */
  async get(jobId: string): Promise<TargetProfile | null> {
    let rows: { profile: unknown }[];
    try {
      rows = (await this.db.query(`SELECT profile FROM connector_target_profile WHERE provisioning_job_id = $1`, [jobId])) as { profile: unknown }[];
    } catch (error) {
      if ((error as { code?: string }).code === UNDEFINED_TABLE) return null;
      throw error;
    }
    return rows[0] ? targetProfileSchema.parse(rows[0].profile) : null;
  }
}
