import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateTargetAccountIndex1764300000600 implements MigrationInterface {
  name = 'CreateTargetAccountIndex1764300000600';

  async up(q: QueryRunner): Promise<void> {
    // The target's accounts by matching attribute, read once per job so matching needs no request per user.
    await q.query(`
      CREATE TABLE target_account_index (
        job_id text NOT NULL,
        attribute text NOT NULL,
        match_key text NOT NULL,
        account_id text NOT NULL,
        seen_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (job_id, attribute, match_key)
      )`);
    await q.query(`CREATE INDEX target_account_index_account ON target_account_index (job_id, account_id)`);
    await q.query(`
      CREATE TABLE target_account_index_load (
        job_id text PRIMARY KEY,
        loaded_at timestamptz NOT NULL,
        accounts integer NOT NULL
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE target_account_index_load`);
    await q.query(`DROP TABLE target_account_index`);
  }
}
