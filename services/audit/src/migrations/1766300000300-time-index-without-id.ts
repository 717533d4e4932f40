import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * provisioning_log's time index holds the instant alone: newest first by (instant, id) is the index's
 * order with the few rows of one instant sorted on the way (an incremental sort), and the id, a long
 * text, was most of the index's 92 bytes per row.
 */
export class TimeIndexWithoutId1766300000300 implements MigrationInterface {
  name = 'TimeIndexWithoutId1766300000300';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX provisioning_log_time`);
    await q.query(`CREATE INDEX provisioning_log_time ON provisioning_log (occurred_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX provisioning_log_time`);
    await q.query(`CREATE INDEX provisioning_log_time ON provisioning_log (occurred_at, id)`);
  }
}
