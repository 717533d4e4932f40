import type { MigrationInterface, QueryRunner } from 'typeorm';

export class MappingConfigAndHolds1764300000500 implements MigrationInterface {
  name = 'MappingConfigAndHolds1764300000500';

  async up(q: QueryRunner): Promise<void> {
    // Every saved configuration is kept: the version a decision used can always be looked up.
    await q.query(`
      CREATE TABLE mapping_config (
        job_id text NOT NULL,
        version int NOT NULL,
        config jsonb NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (job_id, version)
      )`);
    await q.query(`
      CREATE TABLE mapper_job (
        job_id text PRIMARY KEY,
        current_version int NOT NULL,
        rescoped_version int NOT NULL DEFAULT 0,
        approval_required boolean NOT NULL DEFAULT false,
        approval_reason text,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`ALTER TABLE mapper_user_state
      ADD COLUMN assigned boolean NOT NULL DEFAULT false,
      ADD COLUMN source jsonb,
      ADD COLUMN groups jsonb NOT NULL DEFAULT '[]'`);
    // Disables and deletes wait here while their cycle is counted against the deletion threshold.
    await q.query(`
      CREATE TABLE held_command (
        id bigserial PRIMARY KEY,
        job_id text NOT NULL,
        cycle text NOT NULL,
        user_id text NOT NULL,
        command_key text NOT NULL UNIQUE,
        command jsonb NOT NULL,
        audit jsonb NOT NULL,
        status text NOT NULL CHECK (status IN ('staged', 'held', 'released', 'rejected')),
        created_at timestamptz NOT NULL DEFAULT now(),
        decided_at timestamptz
      )`);
    await q.query(`CREATE INDEX held_command_job_status ON held_command (job_id, status, cycle)`);
    await q.query(`
      CREATE TABLE mapper_cycle (
        job_id text NOT NULL,
        cycle text NOT NULL,
        expected_events int,
        decided boolean NOT NULL DEFAULT false,
        PRIMARY KEY (job_id, cycle)
      )`);
    await q.query(`
      CREATE TABLE mapper_cycle_event (
        job_id text NOT NULL,
        cycle text NOT NULL,
        event_key text NOT NULL,
        PRIMARY KEY (job_id, cycle, event_key)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const t of ['mapper_cycle_event', 'mapper_cycle', 'held_command', 'mapper_job', 'mapping_config']) await q.query(`DROP TABLE ${t}`);
    await q.query(`ALTER TABLE mapper_user_state DROP COLUMN assigned, DROP COLUMN source, DROP COLUMN groups`);
  }
}
