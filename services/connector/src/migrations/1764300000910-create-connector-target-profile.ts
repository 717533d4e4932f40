import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateConnectorTargetProfile1764300000910 implements MigrationInterface {
  name = 'CreateConnectorTargetProfile1764300000910';

  async up(q: QueryRunner): Promise<void> {
    // What the connector last read of the job's target (schema, licenses); the mapper validates
    // mappings against it. One row per job, replaced on every read.
    await q.query(`
      CREATE TABLE connector_target_profile (
        provisioning_job_id text PRIMARY KEY,
        profile jsonb NOT NULL,
        read_at timestamptz NOT NULL
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE connector_target_profile`);
  }
}
