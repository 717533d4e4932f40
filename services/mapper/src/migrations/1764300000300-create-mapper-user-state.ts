import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateMapperUserState1764300000300 implements MigrationInterface {
  name = 'CreateMapperUserState1764300000300';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE mapper_user_state (
        job_id text NOT NULL,
        user_id text NOT NULL,
        last_order bigint NOT NULL DEFAULT 0,
        provisioned boolean NOT NULL DEFAULT false,
        active boolean NOT NULL DEFAULT false,
        target jsonb NOT NULL DEFAULT '{}',
        matching jsonb NOT NULL DEFAULT '[]',
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (job_id, user_id)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE mapper_user_state`);
  }
}
