import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Provisioning-log records stored with the work they describe, until relayed to the audit queue
 * (see AuditOutbox). Created under a lock and only when missing, so that any service may list it.
 */
export class CreateAuditOutbox1765100000100 implements MigrationInterface {
  name = 'CreateAuditOutbox1765100000100';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`SELECT pg_advisory_xact_lock(hashtext(current_schema() || ':audit-outbox'))`);
    await q.query(
      `CREATE TABLE IF NOT EXISTS audit_outbox (
         id text PRIMARY KEY,
         record jsonb NOT NULL,
         created_at timestamptz NOT NULL DEFAULT clock_timestamp(),
         sent_at timestamptz
       )`,
    );
    await q.query(`CREATE INDEX IF NOT EXISTS audit_outbox_unsent ON audit_outbox (created_at, id) WHERE sent_at IS NULL`);
    await q.query(`CREATE INDEX IF NOT EXISTS audit_outbox_sent ON audit_outbox (sent_at) WHERE sent_at IS NOT NULL`);
  }

  /** Shared by the services that list it: undoing one service's migrations must not take it from the others. */
  async down(): Promise<void> {}
}
