import type { MigrationInterface, QueryRunner } from 'typeorm';

export class AddResolvedToDeadLetter1764300000930 implements MigrationInterface {
  name = 'AddResolvedToDeadLetter1764300000930';

  async up(q: QueryRunner): Promise<void> {
    // A dead letter whose user a later command brought in line needs no re-drive: it is resolved.
    await q.query(`ALTER TABLE connector_dead_letter DROP CONSTRAINT connector_dead_letter_status_check`);
    await q.query(`ALTER TABLE connector_dead_letter ADD CONSTRAINT connector_dead_letter_status_check CHECK (status IN ('dead', 'redriven', 'resolved'))`);
    await q.query(`ALTER TABLE connector_dead_letter ADD COLUMN resolved_at timestamptz, ADD COLUMN resolved_by text`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE connector_dead_letter DROP COLUMN resolved_at, DROP COLUMN resolved_by`);
    await q.query(`ALTER TABLE connector_dead_letter DROP CONSTRAINT connector_dead_letter_status_check`);
    await q.query(`ALTER TABLE connector_dead_letter ADD CONSTRAINT connector_dead_letter_status_check CHECK (status IN ('dead', 'redriven'))`);
  }
}
