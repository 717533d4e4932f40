import type { MigrationInterface, QueryRunner } from 'typeorm';

export class AddDesiredStateAndWriteAttempts1764300003100 implements MigrationInterface {
  name = 'AddDesiredStateAndWriteAttempts1764300003100';

  async up(q: QueryRunner): Promise<void> {
    // desired: the newest desired state seen for the user (last_order is its order), stored before
    // any write so a stale command converges to it even when the newer command's own run rolled back.
    // group_orders: per group, the order of the newest membership change accepted.
    await q.query(`ALTER TABLE connector_user_link ADD COLUMN desired jsonb, ADD COLUMN group_orders jsonb NOT NULL DEFAULT '{}'`);
    // A command about to write to GoTo, committed before the request and removed with the outcome:
    // a row left behind means a write may have landed without its outcome being stored.
    await q.query(`
      CREATE TABLE connector_write_attempt (
        job_id text NOT NULL,
        user_id text NOT NULL,
        command_key text NOT NULL,
        attempted_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (job_id, user_id, command_key)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE connector_write_attempt`);
    await q.query(`ALTER TABLE connector_user_link DROP COLUMN desired, DROP COLUMN group_orders`);
  }
}
