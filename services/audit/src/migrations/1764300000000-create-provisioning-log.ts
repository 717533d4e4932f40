import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateProvisioningLog1764300000000 implements MigrationInterface {
  name = 'CreateProvisioningLog1764300000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE provisioning_log (
        id text PRIMARY KEY,
        occurred_at timestamptz NOT NULL,
        recorded_at timestamptz NOT NULL DEFAULT now(),
        service text NOT NULL,
        provisioning_job_id text NOT NULL,
        correlation_id text NOT NULL,
        message_id text,
        action text NOT NULL,
        step text NOT NULL,
        status text NOT NULL,
        reason text,
        source_id text,
        source_display_name text,
        target_id text,
        target_user_name text,
        attempt int,
        before jsonb,
        after jsonb,
        details jsonb,
        error jsonb
      )`);
    await q.query(`CREATE INDEX provisioning_log_newest_first ON provisioning_log (occurred_at DESC, id DESC)`);
    await q.query(`CREATE INDEX provisioning_log_source ON provisioning_log (source_id, occurred_at DESC)`);
    await q.query(`CREATE INDEX provisioning_log_target ON provisioning_log (target_id, occurred_at DESC)`);
    await q.query(`CREATE INDEX provisioning_log_target_user ON provisioning_log (lower(target_user_name), occurred_at DESC)`);
    await q.query(`CREATE INDEX provisioning_log_correlation ON provisioning_log (correlation_id)`);
    await q.query(`CREATE INDEX provisioning_log_action_status ON provisioning_log (action, status, occurred_at DESC)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE provisioning_log`);
  }
}
