import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateWatcherState1764300000100 implements MigrationInterface {
  name = 'CreateWatcherState1764300000100';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE watched_user (
        job_id text NOT NULL,
        user_id text NOT NULL,
        in_scope boolean NOT NULL,
        account_enabled boolean NOT NULL,
        attributes_hash text NOT NULL,
        group_ids text[] NOT NULL DEFAULT '{}',
        last_order bigint NOT NULL,
        last_seen_cycle bigint NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (job_id, user_id)
      )`);
    await q.query(`CREATE INDEX watched_user_in_scope ON watched_user (job_id, last_seen_cycle) WHERE in_scope`);
    await q.query(`
      CREATE TABLE watch_cursor (
        job_id text PRIMARY KEY,
        source_kind text NOT NULL,
        cursor text,
        cycle bigint NOT NULL DEFAULT 0,
        initial_completed_at timestamptz,
        last_reconciled_at timestamptz,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    // Change order of emitted events: strictly increasing per job, so consumers can drop stale events.
    await q.query(`CREATE SEQUENCE watch_event_order`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP SEQUENCE watch_event_order`);
    await q.query(`DROP TABLE watch_cursor`);
    await q.query(`DROP TABLE watched_user`);
  }
}
