import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateDemoDirectory1764300000200 implements MigrationInterface {
  name = 'CreateDemoDirectory1764300000200';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE demo_user (
        id text PRIMARY KEY,
        user_principal_name text NOT NULL UNIQUE,
        account_enabled boolean NOT NULL,
        attributes jsonb NOT NULL,
        deleted_at timestamptz
      )`);
    await q.query(`CREATE TABLE demo_group (id text PRIMARY KEY, display_name text NOT NULL)`);
    await q.query(`
      CREATE TABLE demo_group_member (
        group_id text NOT NULL REFERENCES demo_group (id) ON DELETE CASCADE,
        user_id text NOT NULL,
        PRIMARY KEY (group_id, user_id)
      )`);
    await q.query(`CREATE INDEX demo_group_member_user ON demo_group_member (user_id)`);
    await q.query(`
      CREATE TABLE demo_assignment (
        principal_type text NOT NULL CHECK (principal_type IN ('User', 'Group')),
        principal_id text NOT NULL,
        app_role_id text NOT NULL,
        PRIMARY KEY (principal_type, principal_id)
      )`);
    await q.query(`
      CREATE TABLE demo_change (
        seq bigserial PRIMARY KEY,
        object_type text NOT NULL CHECK (object_type IN ('User', 'Group')),
        object_id text NOT NULL
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const t of ['demo_change', 'demo_assignment', 'demo_group_member', 'demo_group', 'demo_user']) {
      await q.query(`DROP TABLE ${t}`);
    }
  }
}
