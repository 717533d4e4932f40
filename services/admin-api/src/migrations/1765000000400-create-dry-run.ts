import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Dry runs and what each would send per user, kept so their list can be paged (and read by any replica). */
export class CreateDryRun1765000000400 implements MigrationInterface {
  name = 'CreateDryRun1765000000400';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE dry_run (
        id uuid PRIMARY KEY,
        job_id text NOT NULL,
        status text NOT NULL,
        started_at timestamptz NOT NULL DEFAULT now(),
        finished_at timestamptz,
        error text,
        users_read int NOT NULL DEFAULT 0,
        users_gone int NOT NULL DEFAULT 0,
        users_failing int NOT NULL DEFAULT 0,
        users_unchanged int NOT NULL DEFAULT 0,
        counts jsonb NOT NULL DEFAULT '{}',
        would_hold_deletions boolean NOT NULL DEFAULT false
      )`);
    await q.query(`
      CREATE TABLE dry_run_item (
        run_id uuid NOT NULL REFERENCES dry_run (id) ON DELETE CASCADE,
        user_id text NOT NULL,
        decision jsonb NOT NULL,
        commands text[] NOT NULL,
        failed boolean NOT NULL,
        PRIMARY KEY (run_id, user_id)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE dry_run_item`);
    await q.query(`DROP TABLE dry_run`);
  }
}
