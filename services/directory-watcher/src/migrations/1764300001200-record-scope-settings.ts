import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The settings a full cycle ran with are kept with the watcher's cursor, for every source (see
 * scopeSettings); the Entra mirror's own record of them, which only some settings reached, goes.
 */
export class RecordScopeSettings1764300001200 implements MigrationInterface {
  name = 'RecordScopeSettings1764300001200';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE watch_cursor ADD COLUMN settings jsonb`);
    await q.query(`ALTER TABLE entra_sync_state DROP COLUMN settings`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE entra_sync_state ADD COLUMN settings text`);
    await q.query(`ALTER TABLE watch_cursor DROP COLUMN settings`);
  }
}
