import type { MigrationInterface, QueryRunner } from 'typeorm';

export class AddLicensesToUserLink1764300001310 implements MigrationInterface {
  name = 'AddLicensesToUserLink1764300001310';

  async up(q: QueryRunner): Promise<void> {
    // licenses: the keys last set on the account, so an unchanged set is not sent again.
    // license_warning: the refusal last warned of, so it is warned of once, not on every command.
    await q.query(`ALTER TABLE connector_user_link ADD COLUMN licenses jsonb, ADD COLUMN license_warning text`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE connector_user_link DROP COLUMN licenses, DROP COLUMN license_warning`);
  }
}
