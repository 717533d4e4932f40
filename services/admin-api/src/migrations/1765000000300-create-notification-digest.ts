import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Where each job's notification digest stands, so a restart neither mails twice nor forgets a
 * period: the row is also the lock that makes one replica at a time the job's sender.
 */
export class CreateNotificationDigest1765000000300 implements MigrationInterface {
  name = 'CreateNotificationDigest1765000000300';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE notification_digest (
        job_id text PRIMARY KEY,
        pending_since timestamptz,
        last_sent_at timestamptz,
        digests_sent int NOT NULL DEFAULT 0,
        last_error text,
        last_error_at timestamptz
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE notification_digest`);
  }
}
