import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateAdminTables1765000000000 implements MigrationInterface {
  name = 'CreateAdminTables1765000000000';

  async up(q: QueryRunner): Promise<void> {
    // Only a key's hash is kept: the key itself is shown once, when it is made.
    await q.query(`
      CREATE TABLE admin_api_key (
        id text PRIMARY KEY,
        name text NOT NULL,
        role text NOT NULL CHECK (role IN ('admin', 'reader')),
        key_hash text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        last_used_at timestamptz,
        revoked_at timestamptz
      )`);
    // provisioning_job, created here at first, is every service's now: see CreateProvisioningJob1765000000100.
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE admin_api_key`);
  }
}
