import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateConnectorGroupMembership1764300002100 implements MigrationInterface {
  name = 'CreateConnectorGroupMembership1764300002100';

  async up(q: QueryRunner): Promise<void> {
    // Membership changes accepted from commands, waiting to share one PATCH per group (and, once
    // sent, the outcome each command reads back). seq keeps arrival order among equal change orders.
    await q.query(`
      CREATE TABLE connector_group_membership (
        job_id text NOT NULL,
        command_key text NOT NULL,
        seq bigserial,
        group_key text NOT NULL,
        group_ref jsonb NOT NULL,
        user_id text NOT NULL,
        account_id text NOT NULL,
        member boolean NOT NULL,
        change_order bigint NOT NULL,
        state text NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'done', 'failed')),
        note text,
        error jsonb,
        accepted_at timestamptz NOT NULL DEFAULT clock_timestamp(),
        PRIMARY KEY (job_id, command_key)
      )`);
    await q.query(`CREATE INDEX connector_group_membership_pending ON connector_group_membership (job_id, group_key, seq) WHERE state = 'pending'`);
    // GoTo's id of each group by display name, per job: a group is looked up (or created) once.
    await q.query(`
      CREATE TABLE connector_target_group (
        job_id text NOT NULL,
        group_key text NOT NULL,
        target_id text NOT NULL,
        PRIMARY KEY (job_id, group_key)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE connector_target_group`);
    await q.query(`DROP TABLE connector_group_membership`);
  }
}
