import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateConnectorUserLink1764300000400 implements MigrationInterface {
  name = 'CreateConnectorUserLink1764300000400';

  async up(q: QueryRunner): Promise<void> {
    // Which GoTo account belongs to which directory user, and the newest change applied to it.
    await q.query(`
      CREATE TABLE connector_user_link (
        job_id text NOT NULL,
        user_id text NOT NULL,
        target_id text,
        last_order bigint NOT NULL DEFAULT 0,
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (job_id, user_id)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE connector_user_link`);
  }
}
