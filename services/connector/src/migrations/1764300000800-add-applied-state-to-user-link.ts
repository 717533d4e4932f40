import type { MigrationInterface, QueryRunner } from 'typeorm';

export class AddAppliedStateToUserLink1764300000800 implements MigrationInterface {
  name = 'AddAppliedStateToUserLink1764300000800';

  async up(q: QueryRunner): Promise<void> {
    // applied: the attributes last written to the account, so an update also sends what an
    // overtaken (dropped) older command changed. unsettled_until: a write whose answer never came
    // may still land until then, so the user's next write waits for it.
    await q.query(`ALTER TABLE connector_user_link ADD COLUMN applied jsonb, ADD COLUMN unsettled_until timestamptz`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE connector_user_link DROP COLUMN applied, DROP COLUMN unsettled_until`);
  }
}
