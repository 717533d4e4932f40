import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The app roles of each watched user's assignments, so a role change alone is an event (licenses
 * follow roles). Null for users saved before: they count as changed once, so the mapper learns them.
 */
export class RecordAppRolesOfWatchedUsers1764300001320 implements MigrationInterface {
  name = 'RecordAppRolesOfWatchedUsers1764300001320';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE watched_user ADD COLUMN app_roles jsonb`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE watched_user DROP COLUMN app_roles`);
  }
}
