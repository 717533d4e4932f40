import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The demo directory's feed position is no longer taken when a change is written but when the
 * watcher reads it (see DemoChangeFeed): a sequence number taken at write time can commit after a
 * higher one was already read and passed. Rows keep an identity of their own; existing rows keep
 * their positions, so saved cursors stay valid.
 */
export class NumberDemoChangesAtRead1764300001100 implements MigrationInterface {
  name = 'NumberDemoChangesAtRead1764300001100';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE demo_change DROP CONSTRAINT demo_change_pkey`);
    await q.query(`ALTER TABLE demo_change ALTER COLUMN seq DROP DEFAULT, ALTER COLUMN seq DROP NOT NULL`);
    await q.query(`ALTER TABLE demo_change ADD COLUMN id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY`);
    await q.query(`CREATE UNIQUE INDEX demo_change_seq ON demo_change (seq)`);
    await q.query(`CREATE INDEX demo_change_unnumbered ON demo_change (id) WHERE seq IS NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DELETE FROM demo_change WHERE seq IS NULL`);
    await q.query(`DROP INDEX demo_change_unnumbered`);
    await q.query(`DROP INDEX demo_change_seq`);
    await q.query(`ALTER TABLE demo_change DROP COLUMN id`);
    await q.query(`ALTER TABLE demo_change ALTER COLUMN seq SET NOT NULL, ALTER COLUMN seq SET DEFAULT nextval('demo_change_seq_seq')`);
    await q.query(`ALTER TABLE demo_change ADD PRIMARY KEY (seq)`);
  }
}
