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
    // Settings hold no credential; `secrets` maps each credential's field to its SecretBox ciphertext.
    await q.query(`
      CREATE TABLE provisioning_job (
        id text PRIMARY KEY,
        settings jsonb NOT NULL,
        secrets jsonb NOT NULL DEFAULT '{}',
        state text NOT NULL DEFAULT 'paused',
        revision int NOT NULL DEFAULT 1,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE provisioning_job`);
    await q.query(`DROP TABLE admin_api_key`);
  }
}
