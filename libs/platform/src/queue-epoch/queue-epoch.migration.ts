import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The queue epoch PostgreSQL remembers (see QueueEpochStore), shared by every service of an
 * installation, and the generation each service last recovered for. Every service lists this
 * migration, so the tables are created under a lock and only when missing: services migrate
 * independently and at the same time.
 */
export class CreateQueueEpoch1764300003000 implements MigrationInterface {
  name = 'CreateQueueEpoch1764300003000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`SELECT pg_advisory_xact_lock(hashtext(current_schema() || ':queue-epoch'))`);
    await q.query(
      `CREATE TABLE IF NOT EXISTS queue_epoch (
         queue_prefix text PRIMARY KEY,
         epoch text NOT NULL,
         tick bigint NOT NULL,
         generation integer NOT NULL,
         incident text,
         incident_at timestamptz,
         updated_at timestamptz NOT NULL DEFAULT now()
       )`,
    );
    await q.query(
      `CREATE TABLE IF NOT EXISTS queue_epoch_service (
         queue_prefix text NOT NULL,
         service text NOT NULL,
         generation integer NOT NULL,
         updated_at timestamptz NOT NULL DEFAULT now(),
         PRIMARY KEY (queue_prefix, service)
       )`,
    );
  }

  /** The tables are shared: undoing one service's migrations must not take them from the others. */
  async down(): Promise<void> {}
}
