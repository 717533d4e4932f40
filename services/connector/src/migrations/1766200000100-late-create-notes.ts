import type { MigrationInterface, QueryRunner } from 'typeorm';

export class LateCreateNotes1766200000100 implements MigrationInterface {
  name = 'LateCreateNotes1766200000100';

  async up(q: QueryRunner): Promise<void> {
    // unanswered: the write was sent and got no answer (a timeout, a cut connection, a 504), so GoTo
    // may apply it long after. late_until: set on such a create GoTo did not hold when read back; it
    // may still land until then, so the mark is kept as a note, not forgotten, and whoever next sees
    // the account logs the create.
    await q.query(`ALTER TABLE connector_write_attempt ADD COLUMN unanswered boolean NOT NULL DEFAULT false, ADD COLUMN late_until timestamptz`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE connector_write_attempt DROP COLUMN unanswered, DROP COLUMN late_until`);
  }
}
