import type { MigrationInterface, QueryRunner } from 'typeorm';

export class WriteMarksWithIntent1765100000200 implements MigrationInterface {
  name = 'WriteMarksWithIntent1765100000200';

  async up(q: QueryRunner): Promise<void> {
    // A mark per run that writes (a command may leave one per crashed run), with what the write meant
    // GoTo to hold (intent) and the executed record to store should a later run find it landed.
    await q.query(`ALTER TABLE connector_write_attempt DROP CONSTRAINT connector_write_attempt_pkey`);
    await q.query(`ALTER TABLE connector_write_attempt ADD COLUMN id bigserial PRIMARY KEY, ADD COLUMN intent jsonb, ADD COLUMN record jsonb`);
    await q.query(`CREATE INDEX connector_write_attempt_user ON connector_write_attempt (job_id, user_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX connector_write_attempt_user`);
    await q.query(`ALTER TABLE connector_write_attempt DROP COLUMN id, DROP COLUMN intent, DROP COLUMN record`);
    await q.query(`DELETE FROM connector_write_attempt a USING connector_write_attempt b WHERE a.ctid < b.ctid AND (a.job_id, a.user_id, a.command_key) = (b.job_id, b.user_id, b.command_key)`);
    await q.query(`ALTER TABLE connector_write_attempt ADD PRIMARY KEY (job_id, user_id, command_key)`);
  }
}
