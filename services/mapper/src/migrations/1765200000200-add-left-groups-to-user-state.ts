import type { MigrationInterface, QueryRunner } from 'typeorm';

export class AddLeftGroupsToUserState1765200000200 implements MigrationInterface {
  name = 'AddLeftGroupsToUserState1765200000200';

  async up(q: QueryRunner): Promise<void> {
    // Groups Roster took the account out of: a restatement after lost queues sends those removals
    // again, since a removal lost with Redis is recorded nowhere else.
    await q.query(`ALTER TABLE mapper_user_state ADD COLUMN left_groups jsonb NOT NULL DEFAULT '[]'`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE mapper_user_state DROP COLUMN left_groups`);
  }
}
