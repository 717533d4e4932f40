import type { LogRow } from '@roster/provisioning-log';

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
