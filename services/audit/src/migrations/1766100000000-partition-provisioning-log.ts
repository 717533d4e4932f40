import type { AuditRecord } from '@roster/contracts';
import { IDENTITY_TEXT, toLogRow } from '@roster/provisioning-log';
import type { MigrationInterface, QueryRunner } from 'typeorm';
import { createPartition, dayOf } from '../partitions/log-partition';
import { insertRowsSql } from '../provisioning-logs/log-statements';

const COPY_BATCH = 2000;

/**
 * The provisioning log becomes a table partitioned by day, so retention drops whole days instead of
 * deleting rows, with lean rows (the attributes a change modified, old → new, instead of both whole
 * states), Graph's cycle id and error code, and a trigram index for free-text search on identities.
 * Existing rows are copied over through the same conversion as new records.
 */
export class PartitionProvisioningLog1766100000000 implements MigrationInterface {
  name = 'PartitionProvisioningLog1766100000000';

  async up(q: QueryRunner): Promise<void> {
    // Extensions are per database, shared by every schema; creating one twice at once fails.
    await q.query(`SELECT pg_advisory_xact_lock(hashtext('roster pg_trgm'))`);
    await q.query(`CREATE EXTENSION IF NOT EXISTS pg_trgm WITH SCHEMA public`);
    await q.query(`ALTER TABLE provisioning_log RENAME TO provisioning_log_v1`);
    for (const index of ['newest_first', 'source', 'target', 'target_user', 'correlation', 'action_status']) {
      await q.query(`DROP INDEX provisioning_log_${index}`);
    }
    await q.query(`
      CREATE TABLE provisioning_log (
        id text NOT NULL,
        occurred_at timestamptz NOT NULL,
        service text NOT NULL,
        provisioning_job_id text NOT NULL,
        cycle_id text,
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
        duration_ms int,
        modified jsonb,
        steps jsonb,
        details jsonb,
        error jsonb,
        error_code text
      ) PARTITION BY RANGE (occurred_at)`);
    // Ascending, and read backwards for newest first: new rows then land on an index's last page,
    // which splits 90/10, where a descending index would split its first page half and half.
    const indexes = [
      `provisioning_log_time ON provisioning_log (occurred_at, id)`,
      // Each record is stored once (see ProvisioningLogRepository.insertMany); a unique index would have to include the day.
      `provisioning_log_id ON provisioning_log (id)`,
      `provisioning_log_job ON provisioning_log (provisioning_job_id, occurred_at, id)`,
      `provisioning_log_source ON provisioning_log (source_id, occurred_at)`,
      `provisioning_log_target ON provisioning_log (target_id, occurred_at)`,
      `provisioning_log_target_user ON provisioning_log (lower(target_user_name), occurred_at)`,
      `provisioning_log_change ON provisioning_log (correlation_id)`,
      `provisioning_log_status ON provisioning_log (status, occurred_at, id)`,
      `provisioning_log_cycle ON provisioning_log (provisioning_job_id, cycle_id) WHERE cycle_id IS NOT NULL`,
      // The watcher's cycle records, which sync progress starts from.
      `provisioning_log_cycles ON provisioning_log (provisioning_job_id, occurred_at) WHERE service = 'directory-watcher' AND action = 'Other'`,
      // A small pending list: GIN scans it whole on every search until it is merged, and at the
      // default 4 MB per daily partition that made a search of a million rows take a second.
      `provisioning_log_identity ON provisioning_log USING gin ((${IDENTITY_TEXT}) public.gin_trgm_ops) WITH (gin_pending_list_limit = 256)`,
    ];
    for (const index of indexes) await q.query(`CREATE INDEX ${index}`);

    const days = (await q.query(`SELECT DISTINCT to_char(occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS day FROM provisioning_log_v1`)) as { day: string }[];
    const today = dayOf(new Date());
    for (const day of new Set([...days.map((d) => d.day), today])) await createPartition((sql, params) => q.query(sql, params), day);

    let after: [string, string] | null = null;
    for (;;) {
      const rows = (await q.query(
        `SELECT *, to_json(occurred_at)#>>'{}' AS occurred FROM provisioning_log_v1
          ${after ? 'WHERE (occurred_at, id) > ($2::timestamptz, $3)' : ''} ORDER BY occurred_at, id LIMIT $1`,
        after ? [COPY_BATCH, ...after] : [COPY_BATCH],
      )) as V1Row[];
      if (rows.length === 0) break;
      await q.query(insertRowsSql(), [JSON.stringify(rows.map((r) => toLogRow(recordOf(r))))]);
      const last = rows.at(-1)!;
      after = [last.occurred, last.id];
    }
    await q.query(`DROP TABLE provisioning_log_v1`);
  }

  async down(): Promise<void> {
    throw new Error('the partitioned provisioning log is not converted back; restore a backup to go back');
  }
}

interface V1Row {
  id: string;
  occurred: string;
  service: AuditRecord['service'];
  provisioning_job_id: string;
  correlation_id: string;
  message_id: string | null;
  action: AuditRecord['action'];
  step: AuditRecord['step'];
  status: AuditRecord['status'];
  reason: string | null;
  source_id: string | null;
  source_display_name: string | null;
  target_id: string | null;
  target_user_name: string | null;
  attempt: number | null;
  before: AuditRecord['before'] | null;
  after: AuditRecord['after'] | null;
  details: AuditRecord['details'] | null;
  error: AuditRecord['error'] | null;
}

/** A row of the former table as the record it was stored from. */
function recordOf(r: V1Row): AuditRecord {
  const cycle = r.service === 'directory-watcher' ? r.details?.['cycle'] : undefined;
  return {
    version: 1,
    id: r.id,
    occurredAt: r.occurred,
    service: r.service,
    provisioningJobId: r.provisioning_job_id,
    correlationId: r.correlation_id,
    ...(typeof cycle === 'number' || typeof cycle === 'string' ? { cycleId: String(cycle) } : {}),
    messageId: r.message_id ?? undefined,
    action: r.action,
    step: r.step,
    status: r.status,
    reason: r.reason ?? undefined,
    source: r.source_id === null ? undefined : { id: r.source_id, displayName: r.source_display_name ?? undefined },
    target: r.target_id === null && r.target_user_name === null ? undefined : { id: r.target_id ?? undefined, userName: r.target_user_name ?? undefined },
    attempt: r.attempt ?? undefined,
    before: r.before ?? undefined,
    after: r.after ?? undefined,
    details: r.details ?? undefined,
    error: r.error ?? undefined,
  };
}
