import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Why a job is in its state and since when (see ProvisioningJobStateDetail); every service lists it, as with the table. */
export class AddProvisioningJobStateDetail1765200000100 implements MigrationInterface {
  name = 'AddProvisioningJobStateDetail1765200000100';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`SELECT pg_advisory_xact_lock(hashtext(current_schema() || ':provisioning-job'))`);
    await q.query(`ALTER TABLE provisioning_job ADD COLUMN IF NOT EXISTS state_detail jsonb`);
  }

  /** The table is shared: undoing one service's migrations must not take it from the others. */
  async down(): Promise<void> {}
}
