import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateConnectorReconciliation1764300003400 implements MigrationInterface {
  name = 'CreateConnectorReconciliation1764300003400';

  async up(q: QueryRunner): Promise<void> {
    // Each user's newest membership change per group, kept after its command settled: what
    // reconciliation compares GoTo's groups with (the pending-change table forgets settled ones).
    await q.query(`
      CREATE TABLE connector_desired_membership (
        job_id text NOT NULL,
        user_id text NOT NULL,
        group_key text NOT NULL,
        group_ref jsonb NOT NULL,
        member boolean NOT NULL,
        change_order bigint NOT NULL,
        PRIMARY KEY (job_id, user_id, group_key)
      )`);
    // Runs of reconciliation against GoTo, readable by every replica (GET /reconciliation/{id}).
    await q.query(`
      CREATE TABLE connector_reconciliation_run (
        id uuid PRIMARY KEY,
        job_id text NOT NULL,
        dry_run boolean NOT NULL,
        trigger text NOT NULL,
        reason text,
        status text NOT NULL DEFAULT 'running' CHECK (status IN ('running', 'completed', 'failed')),
        started_at timestamptz NOT NULL DEFAULT clock_timestamp(),
        finished_at timestamptz,
        counts jsonb,
        requests int,
        unmanaged jsonb,
        error text
      )`);
    await q.query(`CREATE INDEX connector_reconciliation_run_started ON connector_reconciliation_run (job_id, started_at DESC)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE connector_reconciliation_run`);
    await q.query(`DROP TABLE connector_desired_membership`);
  }
}
