import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The provisioning jobs every service runs (see ProvisioningJobRecords). Every service lists this
 * migration, as each reads the table and may start before the admin API: it is created under a lock
 * and only when missing (the admin API's first migration created it before).
 */
export class CreateProvisioningJob1765000000100 implements MigrationInterface {
  name = 'CreateProvisioningJob1765000000100';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`SELECT pg_advisory_xact_lock(hashtext(current_schema() || ':provisioning-job'))`);
    // Settings hold no credential; `secrets` maps each credential's field to its SecretBox ciphertext.
    await q.query(`
      CREATE TABLE IF NOT EXISTS provisioning_job (
        id text PRIMARY KEY,
        settings jsonb NOT NULL,
        secrets jsonb NOT NULL DEFAULT '{}',
        state text NOT NULL DEFAULT 'paused',
        revision int NOT NULL DEFAULT 1,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
  }

  /** The table is shared: undoing one service's migrations must not take it from the others. */
  async down(): Promise<void> {}
}
