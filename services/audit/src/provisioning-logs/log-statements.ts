import type { AuditLogFilters } from '@roster/contracts';
import { SqlParams, whereOf, type FilterExpr, type LogRow } from '@roster/provisioning-log';
import type { LogCursor } from './log-cursor';

/** Every column of provisioning_log with its type, in the order of LogRow. */
const COLUMNS: [keyof LogRow, string][] = [
  ['id', 'text'],
  ['occurred_at', 'timestamptz'],
  ['service', 'text'],
  ['provisioning_job_id', 'text'],
  ['cycle_id', 'text'],
  ['correlation_id', 'text'],
  ['message_id', 'text'],
  ['action', 'text'],
  ['step', 'text'],
  ['status', 'text'],
  ['reason', 'text'],
  ['source_id', 'text'],
  ['source_display_name', 'text'],
  ['target_id', 'text'],
  ['target_user_name', 'text'],
  ['attempt', 'int'],
  ['duration_ms', 'int'],
  ['modified', 'jsonb'],
  ['steps', 'jsonb'],
  ['details', 'jsonb'],
  ['error', 'jsonb'],
  ['error_code', 'text'],
];

export const LOG_COLUMNS = COLUMNS.map(([name]) => name).join(', ');

/**
 * Inserts the rows of the JSON array in $1. The rows travel as one parameter: a statement with 21
 * parameters per row costs more to assemble for 500 rows than PostgreSQL spends storing them.
 */
export function insertRowsSql(): string {
  return `INSERT INTO provisioning_log (${LOG_COLUMNS})
    SELECT ${LOG_COLUMNS} FROM jsonb_to_recordset($1::jsonb) AS r(${COLUMNS.map(([n, t]) => `${n} ${t}`).join(', ')})`;
}

/** What to read: the simple filters and a parsed `$filter`. */
export interface LogSelection {
  filters: Omit<AuditLogFilters, '$filter' | '$orderby'>;
  expr?: FilterExpr;
}

/** The rows of a selection, newest first, after the keyset position `after` when given (no LIMIT: the caller adds it). */
export function selectRows(selection: LogSelection, after: LogCursor | null): { sql: string; params: SqlParams } {
  const params = new SqlParams();
  const where = whereOf(selection.filters, selection.expr, params);
  if (after) {
    const at = params.add(after.occurredAt);
    // The plain bound lets PostgreSQL skip the partitions of later days.
    where.push(`occurred_at <= ${at}::timestamptz`, `(occurred_at, id) < (${at}::timestamptz, ${params.add(after.id)})`);
  }
  const sql = `SELECT ${LOG_COLUMNS} FROM provisioning_log ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY occurred_at DESC, id DESC`;
  return { sql, params };
}
