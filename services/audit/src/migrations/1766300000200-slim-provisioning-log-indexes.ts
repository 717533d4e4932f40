import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Two of provisioning_log's indexes cost more per row than the reads they serve need (the
 * provisioning-log bench at a million rows: 139 and 125 of the 726 index bytes per row):
 * - the id's, for storing each record once and reading one by id, is a hash index: the ids are long
 *   texts (`connector/executed/Create/<job>/<order>/user.create/once`) and are only looked up by `=`;
 * - the status index holds the statuses worth looking up by: a success or a pending attempt is most
 *   of the log, and a read for those finds them walking the time index as fast.
 * The job's index leaves out the id: the rows of one job and instant are few enough to sort.
 */
export class SlimProvisioningLogIndexes1766300000200 implements MigrationInterface {
  name = 'SlimProvisioningLogIndexes1766300000200';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX provisioning_log_id, provisioning_log_status, provisioning_log_job`);
    await q.query(`CREATE INDEX provisioning_log_id ON provisioning_log USING hash (id)`);
    await q.query(`CREATE INDEX provisioning_log_status ON provisioning_log (status, occurred_at, id) WHERE status NOT IN ('success', 'pending')`);
    await q.query(`CREATE INDEX provisioning_log_job ON provisioning_log (provisioning_job_id, occurred_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX provisioning_log_id, provisioning_log_status, provisioning_log_job`);
    await q.query(`CREATE INDEX provisioning_log_id ON provisioning_log (id)`);
    await q.query(`CREATE INDEX provisioning_log_status ON provisioning_log (status, occurred_at, id)`);
    await q.query(`CREATE INDEX provisioning_log_job ON provisioning_log (provisioning_job_id, occurred_at, id)`);
  }
}
