import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What admins are to be told by e-mail (see NotificationEvents), written by the pipeline services and
 * mailed in digests by the admin API, which marks each event handled once its digest is sent. Every
 * service lists this migration: the table is created under a lock and only when missing.
 */
export class CreateNotificationEvent1765000000200 implements MigrationInterface {
  name = 'CreateNotificationEvent1765000000200';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`SELECT pg_advisory_xact_lock(hashtext(current_schema() || ':notification-event'))`);
    await q.query(`
      CREATE TABLE IF NOT EXISTS notification_event (
        id text PRIMARY KEY,
        job_id text NOT NULL,
        kind text NOT NULL,
        occurred_at timestamptz NOT NULL,
        facts jsonb NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        handled_at timestamptz
      )`);
    await q.query(`CREATE INDEX IF NOT EXISTS notification_event_pending ON notification_event (job_id, occurred_at, id) WHERE handled_at IS NULL`);
    await q.query(`CREATE INDEX IF NOT EXISTS notification_event_handled ON notification_event (handled_at) WHERE handled_at IS NOT NULL`);
  }

  /** The table is shared: undoing one service's migrations must not take it from the others. */
  async down(): Promise<void> {}
}
