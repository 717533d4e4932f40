import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What the watcher needs to restate every user after queued events were lost: the last event it
 * emitted per user (to repeat one that took the user out of scope), and the recoveries asked for,
 * kept until a full cycle has done them (a restart in between does them still).
 */
export class RecoverLostQueues1764300003100 implements MigrationInterface {
  name = 'RecoverLostQueues1764300003100';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE watched_user ADD COLUMN last_event text`);
    await q.query(`CREATE TABLE watch_recovery (job_id text PRIMARY KEY, request_id uuid NOT NULL, requested_at timestamptz NOT NULL, reason text NOT NULL)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE watch_recovery`);
    await q.query(`ALTER TABLE watched_user DROP COLUMN last_event`);
  }
}
