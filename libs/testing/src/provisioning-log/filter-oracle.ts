import type { AuditLogFilters, ProvisioningObjectSummary } from '@roster/contracts';
import { FILTER_FIELDS, type FilterExpr } from '@roster/provisioning-log';

/** A property of a summary by its `$filter` path (`sourceIdentity/id`); absent as null. */
function valueAt(summary: ProvisioningObjectSummary, path: string): unknown {
  let value: unknown = summary;
  for (const part of path.split('/')) value = value === null || typeof value !== 'object' ? null : (value as Record<string, unknown>)[part];
  return value ?? null;
}

/**
 * What a `$filter` selects, decided on a summary as the API answered it, in JavaScript: the oracle
 * the SQL translation is checked against (case-sensitive strings in code-unit order, instants by time).
 */
export function matchesFilter(expr: FilterExpr, summary: ProvisioningObjectSummary): boolean {
  switch (expr.kind) {
    case 'and':
      return matchesFilter(expr.left, summary) && matchesFilter(expr.right, summary);
    case 'or':
      return matchesFilter(expr.left, summary) || matchesFilter(expr.right, summary);
    case 'contains': {
      const value = valueAt(summary, expr.field);
      return typeof value === 'string' && value.includes(expr.value);
    }
    case 'compare': {
      const value = valueAt(summary, expr.field);
      if (expr.value === null) return value === null;
      if (typeof value !== 'string') return false;
      const [a, b] = FILTER_FIELDS[expr.field].type === 'datetime' ? [Date.parse(value), Date.parse(expr.value)] : [value, expr.value];
      return expr.op === 'eq' ? a === b : expr.op === 'gt' ? a > b : a < b;
    }
  }
}

/** What the simple query parameters select, decided on a summary. */
export function matchesSimpleFilters(filters: Omit<AuditLogFilters, '$filter' | '$orderby'>, s: ProvisioningObjectSummary): boolean {
  const time = Date.parse(s.activityDateTime);
  const identities = [s.sourceIdentity.id, s.sourceIdentity.displayName, s.targetIdentity.id, s.targetIdentity.displayName];
  return (
    (filters.jobId === undefined || s.jobId === filters.jobId) &&
    (filters.cycleId === undefined || s.cycleId === filters.cycleId) &&
    (filters.changeId === undefined || s.changeId === filters.changeId) &&
    (filters.action === undefined || s.roster.action === filters.action) &&
    (filters.status === undefined || s.roster.status === filters.status) &&
    (filters.step === undefined || s.roster.step === filters.step) &&
    (filters.service === undefined || s.roster.service === filters.service) &&
    (filters.userId === undefined ||
      s.sourceIdentity.id === filters.userId ||
      s.targetIdentity.id === filters.userId ||
      s.targetIdentity.displayName.toLowerCase() === filters.userId.toLowerCase()) &&
    (filters.search === undefined || identities.some((i) => i.toLowerCase().includes(filters.search!.toLowerCase()))) &&
    (filters.from === undefined || time >= Date.parse(filters.from)) &&
    (filters.to === undefined || time <= Date.parse(filters.to))
  );
}
