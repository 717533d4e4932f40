import type {
  AttributeValue,
  AuditAction,
  AuditStatus,
  GraphProvisioningAction,
  GraphProvisioningResult,
  ProvisioningObjectSummary,
} from '@roster/contracts';
import type { LogRow } from './log-row';
import { readModified } from './modified-properties';

/** A row as PostgreSQL gives it back (timestamptz as a Date). */
export type StoredLogRow = Omit<LogRow, 'occurred_at'> & { occurred_at: Date | string };

/**
 * Graph's provisioningAction of each of Roster's actions: enabling an account and changing its
 * group memberships are updates of the target user, an import is not a write.
 */
export const GRAPH_ACTION: Record<AuditAction, GraphProvisioningAction> = {
  Create: 'create',
  Update: 'update',
  Enable: 'update',
  AddMember: 'update',
  RemoveMember: 'update',
  Disable: 'disable',
  Delete: 'delete',
  StagedDelete: 'stagedDelete',
  Import: 'other',
  Other: 'other',
};

/** A write sent but not answered yet (`pending`) has no word in Graph's provisioningResult. */
export const GRAPH_STATUS: Record<AuditStatus, GraphProvisioningResult> = {
  success: 'success',
  warning: 'warning',
  failure: 'failure',
  skipped: 'skipped',
  pending: 'unknownFutureValue',
};

const SOURCE_SYSTEM = { id: 'directory', displayName: 'Directory', details: {} };
const TARGET_SYSTEM = { id: 'gotomeeting', displayName: 'GoToMeeting', details: {} };
const INITIATOR = { id: '', displayName: 'Roster provisioning service', initiatorType: 'system' as const };

/** Entra's step names by Roster action: EntryExportAdd, EntrySynchronizationUpdate, … */
const VERB: Partial<Record<AuditAction, string>> = { Create: 'Add', Delete: 'Delete', StagedDelete: 'Delete', Import: '', Other: '' };
const verbOf = (action: string) => VERB[action as AuditAction] ?? 'Update';

/** The record as Graph's provisioningObjectSummary; `tenantId`: its job's directory tenant, "" when unknown (as Graph's examples leave what they lack). */
export function toProvisioningObjectSummary(row: StoredLogRow, tenantId = ''): ProvisioningObjectSummary {
  const status = GRAPH_STATUS[row.status as AuditStatus] ?? 'unknownFutureValue';
  const userName = row.target_user_name ?? row.source_display_name ?? row.source_id ?? '';
  return {
    id: row.id,
    activityDateTime: row.occurred_at instanceof Date ? row.occurred_at.toISOString() : row.occurred_at,
    tenantId,
    jobId: row.provisioning_job_id,
    cycleId: row.cycle_id,
    changeId: row.correlation_id,
    durationInMilliseconds: row.duration_ms,
    provisioningAction: GRAPH_ACTION[row.action as AuditAction] ?? 'other',
    initiatedBy: INITIATOR,
    servicePrincipal: { id: row.provisioning_job_id, displayName: row.provisioning_job_id },
    sourceSystem: SOURCE_SYSTEM,
    targetSystem: TARGET_SYSTEM,
    sourceIdentity: identity(row.source_id, row.source_display_name),
    targetIdentity: identity(row.target_id, row.target_user_name),
    provisioningStatusInfo: {
      status,
      errorInformation:
        row.error_code === null
          ? null
          : {
              errorCode: row.error_code,
              reason: row.reason ?? '',
              additionalDetails: row.error?.body === undefined ? null : stringOf(row.error.body as AttributeValue),
              recommendedAction: null,
              errorCategory: errorCategoryOf(row),
            },
    },
    provisioningSteps: stepsOf(row, status, userName),
    modifiedProperties: readModified(row.modified).map(([displayName, oldValue, newValue]) => ({
      displayName,
      oldValue: stringOf(oldValue),
      newValue: stringOf(newValue),
    })),
    roster: {
      service: row.service as ProvisioningObjectSummary['roster']['service'],
      action: row.action as AuditAction,
      step: row.step as ProvisioningObjectSummary['roster']['step'],
      status: row.status as AuditStatus,
      attempt: row.attempt,
      messageId: row.message_id,
      reason: row.reason,
      details: row.details,
    },
  };
}

/** Graph's identities are never null: an unknown id or name is "" (as in Graph's own examples). */
function identity(id: string | null, displayName: string | null) {
  return { id: id ?? '', displayName: displayName ?? '', identityType: id === null && displayName === null ? '' : 'User', details: {} };
}

/** GoTo refusing the data (a 4xx) is not a failure of the service; anything else is. */
function errorCategoryOf(row: StoredLogRow): 'failure' | 'nonServiceFailure' {
  const httpStatus = row.error?.status;
  if (row.status === 'warning') return 'nonServiceFailure';
  return typeof httpStatus === 'number' && httpStatus >= 400 && httpStatus < 500 ? 'nonServiceFailure' : 'failure';
}

/**
 * The steps the record is about: the mapper's decision steps as it recorded them; otherwise the one
 * step its service took (the watcher's import, the connector's export to GoTo, a skip or rejection).
 */
function stepsOf(row: StoredLogRow, status: GraphProvisioningResult, userName: string): ProvisioningObjectSummary['provisioningSteps'] {
  const verb = verbOf(row.action);
  const details: Record<string, string> = userName ? { ReportableIdentifier: userName } : {};
  if (row.steps) {
    return row.steps.map(([type, stepStatus, description]) => ({
      name: STEP_NAME[type] ? `${STEP_NAME[type]}${type === 'processing' ? verb : ''}` : type,
      provisioningStepType: (STEP_TYPES.has(type) ? type : 'unknownFutureValue') as ProvisioningObjectSummary['provisioningSteps'][number]['provisioningStepType'],
      status: GRAPH_STATUS[stepStatus as AuditStatus] ?? 'unknownFutureValue',
      description,
      details: {},
    }));
  }
  const description = row.reason ?? `${row.step} ${row.action}`;
  switch (row.step) {
    case 'received':
      return [{ name: 'EntryImport', provisioningStepType: 'import', status, description, details }];
    case 'computed':
      return row.service === 'directory-watcher'
        ? [{ name: 'EntryImport', provisioningStepType: 'import', status, description, details }]
        : [{ name: `EntrySynchronization${verb}`, provisioningStepType: 'processing', status, description, details }];
    case 'skipped':
    case 'rejected':
      return [{ name: `EntrySynchronization${row.step === 'skipped' ? 'Skipped' : 'Rejected'}`, provisioningStepType: 'processing', status, description, details }];
    default:
      // attempted, executed, retried, failed: the write to GoTo.
      return [{ name: `EntryExport${verb}`, provisioningStepType: 'export', status, description, details }];
  }
}

const STEP_NAME: Record<string, string> = { import: 'EntryImport', scoping: 'EntryScoping', matching: 'EntryMatching', processing: 'EntrySynchronization' };
const STEP_TYPES = new Set(['import', 'scoping', 'matching', 'processing', 'referenceResolution', 'export']);

/** modifiedProperty values are strings: booleans as Entra writes them ("True"), other values as JSON. */
export function stringOf(value: AttributeValue | undefined): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string') return value;
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  return typeof value === 'number' ? String(value) : JSON.stringify(value);
}
