import type { MigrationInterface, QueryRunner } from 'typeorm';

export class GroupWriteMarks1765200000100 implements MigrationInterface {
  name = 'GroupWriteMarks1765200000100';

  async up(q: QueryRunner): Promise<void> {
    // The log fields of the command that asked for each change: whoever sends the group's PATCH logs
    // each change's outcome in the transaction that stores it, not the command reading it back later.
    await q.query(`ALTER TABLE connector_group_membership ADD COLUMN record jsonb`);
    // A group PATCH about to be sent, committed before the request and removed with its outcome: a row
    // left behind means the PATCH may have landed unrecorded; the group's next flush asks GoTo.
    await q.query(`
      CREATE TABLE connector_group_write (
        id bigserial PRIMARY KEY,
        job_id text NOT NULL,
        group_key text NOT NULL,
        group_id text NOT NULL,
        changes jsonb NOT NULL,
        attempted_at timestamptz NOT NULL DEFAULT clock_timestamp()
      )`);
    await q.query(`CREATE INDEX connector_group_write_group ON connector_group_write (job_id, group_key)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE connector_group_write`);
    await q.query(`ALTER TABLE connector_group_membership DROP COLUMN record`);
  }
}
