import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * When a running dry run last made progress, so a run whose admin API died (a crash leaves it
 * `running` for good) can be told from one still under way on another replica.
 */
export class DryRunHeartbeat1765000000500 implements MigrationInterface {
  name = 'DryRunHeartbeat1765000000500';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE dry_run ADD COLUMN heartbeat_at timestamptz`);
    await q.query(`UPDATE dry_run SET heartbeat_at = started_at`);
    await q.query(`ALTER TABLE dry_run ALTER COLUMN heartbeat_at SET NOT NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE dry_run DROP COLUMN heartbeat_at`);
  }
}
