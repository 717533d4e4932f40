import type { AuditRecord } from '@roster/contracts';
import { errorCodeOf } from './error-code';
import { modifiedProperties, type StoredProperty } from './modified-properties';
import { maskSecrets } from './secret-mask';

/** One step as stored: [provisioningStepType, status, description]. */
export type StoredStep = [type: string, status: string, description: string];

/**
 * A provisioning_log row: one record of one step of one change. Kept lean: the attributes a change
 * modified (old → new) instead of the states before and after, its steps without repeated key names,
 * and nothing a read can derive (Graph's names and enum values are worked out when the row is read).
 */
export interface LogRow {
  id: string;
  occurred_at: string;
  service: string;
  provisioning_job_id: string;
  cycle_id: string | null;
  correlation_id: string;
  message_id: string | null;
  action: string;
  step: string;
  status: string;
  reason: string | null;
  source_id: string | null;
  source_display_name: string | null;
  target_id: string | null;
  target_user_name: string | null;
  attempt: number | null;
  duration_ms: number | null;
  modified: StoredProperty[] | null;
  steps: StoredStep[] | null;
  details: Record<string, unknown> | null;
  error: Record<string, unknown> | null;
  error_code: string | null;
}

/** The row an audit record is stored as; credentials anywhere in it are masked. */
export function toLogRow(r: AuditRecord): LogRow {
  const { steps, ...details } = r.details ?? {};
  const modified = modifiedProperties(r.before, r.after);
  const storedSteps = Array.isArray(steps) ? steps.flatMap(toStoredStep) : [];
  return {
    id: r.id,
    // Milliseconds, as every cursor carries them: a finer instant would make keyset pages skip rows.
    occurred_at: new Date(r.occurredAt).toISOString(),
    service: r.service,
    provisioning_job_id: r.provisioningJobId,
    cycle_id: r.cycleId ?? null,
    correlation_id: r.correlationId,
    message_id: r.messageId ?? null,
    action: r.action,
    step: r.step,
    status: r.status,
    reason: r.reason ?? null,
    source_id: r.source?.id ?? null,
    source_display_name: r.source?.displayName ?? null,
    target_id: r.target?.id ?? null,
    target_user_name: r.target?.userName ?? null,
    attempt: r.attempt ?? null,
    duration_ms: r.durationMs ?? null,
    modified: modified.length ? modified : null,
    steps: storedSteps.length ? storedSteps : null,
    details: Object.keys(details).length ? maskSecrets(details) : null,
    error: r.error ? maskSecrets(r.error) : null,
    error_code: errorCodeOf(r),
  };
}

/** The mapper's decision steps ({type, status, description}); anything else is not a step. */
function toStoredStep(step: unknown): StoredStep[] {
  if (typeof step !== 'object' || step === null) return [];
  const { type, status, description } = step as Record<string, unknown>;
  return typeof type === 'string' && typeof status === 'string' ? [[type, status, typeof description === 'string' ? description : '']] : [];
}
