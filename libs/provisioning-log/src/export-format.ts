import type { ProvisioningObjectSummary } from '@roster/contracts';

/**
 * The columns of a CSV export. Entra's portal downloads three CSV files joined on the change id;
 * one stream can carry only one, so the steps and modified properties travel as JSON in a cell.
 */
export const CSV_COLUMNS: [header: string, value: (s: ProvisioningObjectSummary) => string | number | null][] = [
  ['id', (s) => s.id],
  ['activityDateTime', (s) => s.activityDateTime],
  ['jobId', (s) => s.jobId],
  ['cycleId', (s) => s.cycleId],
  ['changeId', (s) => s.changeId],
  ['provisioningAction', (s) => s.provisioningAction],
  ['status', (s) => s.provisioningStatusInfo.status],
  ['errorCode', (s) => s.provisioningStatusInfo.errorInformation?.errorCode ?? null],
  ['errorReason', (s) => s.provisioningStatusInfo.errorInformation?.reason ?? null],
  ['sourceIdentityId', (s) => s.sourceIdentity.id],
  ['sourceIdentityDisplayName', (s) => s.sourceIdentity.displayName],
  ['targetIdentityId', (s) => s.targetIdentity.id],
  ['targetIdentityDisplayName', (s) => s.targetIdentity.displayName],
  ['durationInMilliseconds', (s) => s.durationInMilliseconds],
  ['tenantId', (s) => s.tenantId],
  ['rosterService', (s) => s.roster.service],
  ['rosterAction', (s) => s.roster.action],
  ['rosterStep', (s) => s.roster.step],
  ['rosterStatus', (s) => s.roster.status],
  ['attempt', (s) => s.roster.attempt],
  ['reason', (s) => s.roster.reason],
  ['provisioningSteps', (s) => JSON.stringify(s.provisioningSteps)],
  ['modifiedProperties', (s) => JSON.stringify(s.modifiedProperties)],
];

export const CSV_HEADER = CSV_COLUMNS.map(([header]) => header).join(',') + '\r\n';

/**
 * One RFC 4180 line. A cell a spreadsheet would run as a formula (=, +, -, @, tab, CR first: a
 * directory user named `=HYPERLINK(…)`) is prefixed with a quote, as OWASP advises for CSV exports.
 */
export function csvLine(summary: ProvisioningObjectSummary): string {
  return CSV_COLUMNS.map(([, value]) => csvCell(value(summary))).join(',') + '\r\n';
}

export function csvCell(value: string | number | null): string {
  if (value === null) return '';
  let text = String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}
