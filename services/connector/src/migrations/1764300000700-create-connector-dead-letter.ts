import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateConnectorDeadLetter1764300000700 implements MigrationInterface {
  name = 'CreateConnectorDeadLetter1764300000700';

  async up(q: QueryRunner): Promise<void> {
    // Commands that failed for good, with their last error, until an admin re-drives them.
    await q.query(`
      CREATE TABLE connector_dead_letter (
        id bigserial PRIMARY KEY,
        idempotency_key text NOT NULL UNIQUE,
        job_id text NOT NULL,
        user_id text NOT NULL,
        command_type text NOT NULL,
        correlation_id text NOT NULL,
        command jsonb NOT NULL,
        reason text NOT NULL,
        error jsonb,
        attempts integer NOT NULL,
        status text NOT NULL DEFAULT 'dead' CHECK (status IN ('dead', 'redriven')),
        failed_at timestamptz NOT NULL DEFAULT now(),
        redriven_at timestamptz,
        redriven_as text
      )`);
    await q.query(`CREATE INDEX connector_dead_letter_status ON connector_dead_letter (status, id)`);
    await q.query(`CREATE INDEX connector_dead_letter_user ON connector_dead_letter (job_id, user_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE connector_dead_letter`);
  }
}
