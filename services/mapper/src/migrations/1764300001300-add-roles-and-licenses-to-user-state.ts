import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The user's app roles and the license keys last sent; null for users saved before either was kept. */
export class AddRolesAndLicensesToUserState1764300001300 implements MigrationInterface {
  name = 'AddRolesAndLicensesToUserState1764300001300';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE mapper_user_state ADD COLUMN roles jsonb, ADD COLUMN licenses jsonb`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE mapper_user_state DROP COLUMN roles, DROP COLUMN licenses`);
  }
}
