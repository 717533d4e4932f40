import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The Entra ID source's mirror of the tenant, per job: users, groups with their direct members
 * (group members too, for nested expansion), the app's assignments, the delta links, and a journal
 * of users whose snapshot may have changed since the watcher last read it. `seen_round` marks rows
 * a full read saw, so the rows it did not see can be swept afterwards.
 */
export class CreateEntraMirror1764300000600 implements MigrationInterface {
  name = 'CreateEntraMirror1764300000600';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE entra_user (
        job_id text NOT NULL,
        id text NOT NULL,
        state text NOT NULL CHECK (state IN ('present', 'soft-deleted')),
        account_enabled boolean NOT NULL,
        attributes jsonb NOT NULL,
        seen_round bigint NOT NULL DEFAULT 0,
        PRIMARY KEY (job_id, id)
      )`);
    await q.query(`
      CREATE TABLE entra_group (
        job_id text NOT NULL,
        id text NOT NULL,
        display_name text,
        seen_round bigint NOT NULL DEFAULT 0,
        PRIMARY KEY (job_id, id)
      )`);
    await q.query(`
      CREATE TABLE entra_group_member (
        job_id text NOT NULL,
        group_id text NOT NULL,
        member_id text NOT NULL,
        member_type text NOT NULL CHECK (member_type IN ('user', 'group')),
        seen_round bigint NOT NULL DEFAULT 0,
        PRIMARY KEY (job_id, group_id, member_id)
      )`);
    await q.query(`CREATE INDEX entra_group_member_member ON entra_group_member (job_id, member_id)`);
    await q.query(`
      CREATE TABLE entra_assignment (
        job_id text NOT NULL,
        id text NOT NULL,
        principal_id text NOT NULL,
        principal_type text NOT NULL CHECK (principal_type IN ('User', 'Group')),
        app_role_id text NOT NULL,
        seen_round bigint NOT NULL DEFAULT 0,
        PRIMARY KEY (job_id, id)
      )`);
    await q.query(`CREATE INDEX entra_assignment_principal ON entra_assignment (job_id, principal_id)`);
    await q.query(`
      CREATE TABLE entra_sync_state (
        job_id text PRIMARY KEY,
        users_link text,
        groups_link text,
        assignments_fingerprint text,
        -- the user selection and scope options the mirror and the watcher's state were built with
        settings text,
        round bigint NOT NULL DEFAULT 0,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE entra_change (
        seq bigserial PRIMARY KEY,
        job_id text NOT NULL,
        user_id text NOT NULL
      )`);
    await q.query(`CREATE INDEX entra_change_job_seq ON entra_change (job_id, seq)`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const t of ['entra_change', 'entra_sync_state', 'entra_assignment', 'entra_group_member', 'entra_group', 'entra_user']) {
      await q.query(`DROP TABLE ${t}`);
    }
  }
}
