import { readModified, type StoredLogRow } from '@roster/provisioning-log';

/**
 * A row as `GET /provisioning-logs` has always answered it. `before` and `after` now hold only the
 * attributes the change modified (rows keep no whole states), and the mapper's decision steps are
 * back under `details.steps`.
 */
export function legacyLogEntry(row: StoredLogRow) {
  const modified = readModified(row.modified);
  const steps = row.steps?.map(([type, status, description]) => ({ type, status, description }));
  return {
    id: row.id,
    occurredAt: new Date(row.occurred_at).toISOString(),
    service: row.service,
    provisioningJobId: row.provisioning_job_id,
    cycleId: row.cycle_id,
    correlationId: row.correlation_id,
    messageId: row.message_id,
    action: row.action,
    step: row.step,
    status: row.status,
    reason: row.reason,
    sourceId: row.source_id,
    sourceDisplayName: row.source_display_name,
    targetId: row.target_id,
    targetUserName: row.target_user_name,
    attempt: row.attempt,
    before: modified.length ? Object.fromEntries(modified.map(([name, old]) => [name, old])) : null,
    after: modified.length ? Object.fromEntries(modified.map(([name, , now]) => [name, now])) : null,
    details: steps || row.details ? { ...row.details, ...(steps ? { steps } : {}) } : null,
    error: row.error,
  };
}
