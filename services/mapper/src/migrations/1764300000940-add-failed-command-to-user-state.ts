import type { MigrationInterface, QueryRunner } from 'typeorm';

export class AddFailedCommandToUserState1764300000940 implements MigrationInterface {
  name = 'AddFailedCommandToUserState1764300000940';

  async up(q: QueryRunner): Promise<void> {
    // Set from the connector's feedback when a user's command is dead-lettered: the saved target
    // state is then not what the target holds, and the user's next decision sends the whole state.
    await q.query(`ALTER TABLE mapper_user_state ADD COLUMN failed_command text`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE mapper_user_state DROP COLUMN failed_command`);
  }
}
