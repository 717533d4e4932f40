import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The audit outbox holds a row per `add` (its records as an array) until relayed, in
 * audit_outbox_pending, and a copy of each queue message relayed until the audit service stored it,
 * in audit_outbox_relayed (see AuditOutbox), where audit_outbox held a row per record that the relay
 * marked sent and the audit service deleted once stored. Records still in the former table are all
 * relayed again, sent or not: the audit service stores each id once. The former table is dropped,
 * and created again empty by a service that lists this after CreateAuditOutbox1765100000100 for the
 * first time, so each service converts whatever it finds; under the creation's lock.
 */
export class AuditOutboxBatches1766300000100 implements MigrationInterface {
  name = 'AuditOutboxBatches1766300000100';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`SELECT pg_advisory_xact_lock(hashtext(current_schema() || ':audit-outbox'))`);
    await q.query(`CREATE TABLE IF NOT EXISTS audit_outbox_pending (seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, records jsonb NOT NULL)`);
    await q.query(
      `CREATE TABLE IF NOT EXISTS audit_outbox_relayed (
         id text PRIMARY KEY,
         records jsonb NOT NULL,
         sent_at timestamptz NOT NULL DEFAULT clock_timestamp()
       )`,
    );
    if (((await q.query(`SELECT to_regclass('audit_outbox') IS NOT NULL AS found`)) as { found: boolean }[])[0]!.found) {
      await q.query(`INSERT INTO audit_outbox_pending (records) SELECT jsonb_build_array(record) FROM audit_outbox ORDER BY created_at, id`);
      await q.query(`DROP TABLE audit_outbox`);
    }
  }

  /** Shared by the services that list it, as the outbox it converts. */
  async down(): Promise<void> {}
}
