import { Injectable } from '@nestjs/common';
import { licenseMappingSchema, type LicenseMappingConfig } from '@roster/contracts';
import { DataSource } from 'typeorm';

/** PostgreSQL's undefined_table: the mapper, which owns the tables, has not migrated yet. */
const UNDEFINED_TABLE = '42P01';

/**
 * The license part of the job's mapping configuration in force, read from the mapper's tables and
 * checked against its contract, as the mapper reads the connector's target profile.
 */
@Injectable()
export class MappingLicensesReader {
  constructor(private readonly db: DataSource) {}

  /** Undefined when the job maps no licenses or has no configuration yet. */
  async get(jobId: string): Promise<LicenseMappingConfig | undefined> {
    let rows: { licenses: unknown }[];
    try {
      rows = (await this.db.query(
        `SELECT c.config->'licenses' AS licenses FROM mapper_job j
           JOIN mapping_config c ON c.job_id = j.job_id AND c.version = j.current_version
          WHERE j.job_id = $1`,
        [jobId],
      )) as { licenses: unknown }[];
    } catch (error) {
      if ((error as { code?: string }).code === UNDEFINED_TABLE) return undefined;
      throw error;
    }
    const licenses = rows[0]?.licenses;
    return licenses === null || licenses === undefined ? undefined : licenseMappingSchema.parse(licenses);
  }
}
