import type { AuditLogFilters } from '@roster/contracts';
import { GRAPH_ACTION, GRAPH_STATUS } from './graph-summary';
import { FILTER_FIELDS, type FilterExpr, type FilterField } from './odata-filter';

/** Collects the values of a parameterised statement: `add` answers the placeholder of each. */
export class SqlParams {
  readonly values: unknown[] = [];
  add(value: unknown): string {
    this.values.push(value);
    return `$${this.values.length}`;
  }
}

/**
 * The lower-cased identities of a row, as the trigram index of free-text search holds them (the
 * expression must match the index's word for word).
 */
export const IDENTITY_TEXT =
  "lower(coalesce(source_id, '') || ' ' || coalesce(source_display_name, '') || ' ' || coalesce(target_id, '') || ' ' || coalesce(target_user_name, ''))";

const IDENTITY_COLUMNS = ['source_id', 'source_display_name', 'target_id', 'target_user_name'];

const COLUMN: Record<FilterField, string> = {
  id: 'id',
  activityDateTime: 'occurred_at',
  jobId: 'provisioning_job_id',
  cycleId: 'cycle_id',
  changeId: 'correlation_id',
  provisioningAction: 'action',
  'provisioningStatusInfo/status': 'status',
  'provisioningStatusInfo/errorInformation/errorCode': 'error_code',
  'sourceIdentity/id': 'source_id',
  'sourceIdentity/displayName': 'source_display_name',
  'targetIdentity/id': 'target_id',
  'targetIdentity/displayName': 'target_user_name',
};

/** The stored values each Graph enum value stands for (several of Roster's actions are Graph's `update`). */
const STORED_VALUES: Partial<Record<FilterField, (graph: string) => string[]>> = {
  provisioningAction: (graph) => Object.entries(GRAPH_ACTION).filter(([, g]) => g === graph).map(([roster]) => roster),
  'provisioningStatusInfo/status': (graph) => Object.entries(GRAPH_STATUS).filter(([, g]) => g === graph).map(([roster]) => roster),
};

/**
 * What of a searched text the trigram index is asked for: an address's local part with its `@`. The
 * domain is shared by most of a tenant's users, so its trigrams are in nearly every row and asking
 * the index for them walks posting lists as long as the table to narrow nothing (a whole address
 * took 25 ms at a million rows, its local part 2 ms). Each candidate is still matched on the whole text.
 */
export function indexedText(text: string): string {
  const at = text.lastIndexOf('@');
  // Fewer than three characters before the @ make too few trigrams to narrow by themselves.
  return at >= 3 ? text.slice(0, at + 1) : text;
}

/** A LIKE pattern that finds `text` literally anywhere. */
export function containsPattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/**
 * `$filter` as a SQL condition with the same meaning as on the summaries the rows become: a column
 * without a value compares as the summary shows it ("" for identities, null otherwise), strings
 * compare case-sensitively in code-point order (COLLATE "C"), as JavaScript's do.
 */
export function filterToSql(expr: FilterExpr, params: SqlParams): string {
  switch (expr.kind) {
    case 'and':
    case 'or':
      return `(${filterToSql(expr.left, params)} ${expr.kind.toUpperCase()} ${filterToSql(expr.right, params)})`;
    case 'contains':
      return containsSql(expr.field, expr.value, params);
    case 'compare':
      return compareSql(expr.field, expr.op, expr.value, params);
  }
}

function containsSql(field: FilterField, value: string, params: SqlParams): string {
  const column = COLUMN[field];
  const shownEmpty = FILTER_FIELDS[field].nullAs === '';
  if (value === '') return shownEmpty ? 'TRUE' : `${column} IS NOT NULL`;
  const pattern = params.add(containsPattern(value));
  // An identity containing the text implies the lower-cased identities contain (part of) it lower-cased:
  // that redundant condition lets PostgreSQL use the trigram index of free-text search.
  const viaIndex = IDENTITY_COLUMNS.includes(column) ? ` AND ${IDENTITY_TEXT} LIKE lower(${params.add(containsPattern(indexedText(value)))})` : '';
  return `(${column} LIKE ${pattern}${viaIndex})`;
}

function compareSql(field: FilterField, op: 'eq' | 'gt' | 'lt', value: string | null, params: SqlParams): string {
  const column = COLUMN[field];
  const spec = FILTER_FIELDS[field];
  const shownEmpty = spec.nullAs === '';
  if (value === null) return shownEmpty ? 'FALSE' : `${column} IS NULL`;
  const stored = STORED_VALUES[field];
  if (stored) {
    const values = stored(value);
    return values.length ? `${column} = ANY(${params.add(values)}::text[])` : 'FALSE';
  }
  if (spec.type === 'datetime') return `${column} ${SQL_OP[op]} ${params.add(value)}::timestamptz`;
  if (op === 'eq') return value === '' && shownEmpty ? `(${column} IS NULL OR ${column} = '')` : `${column} = ${params.add(value)}`;
  const shown = shownEmpty ? `coalesce(${column}, '')` : column;
  return `${shown} COLLATE "C" ${SQL_OP[op]} ${params.add(value)}`;
}

const SQL_OP = { eq: '=', gt: '>', lt: '<' } as const;

/** The conditions of the simple query parameters and of a parsed `$filter`, to be ANDed. */
export function whereOf(filters: Omit<AuditLogFilters, '$filter' | '$orderby'>, expr: FilterExpr | undefined, params: SqlParams): string[] {
  const where: string[] = [];
  const equals: [keyof typeof filters, string][] = [
    ['jobId', 'provisioning_job_id'],
    ['cycleId', 'cycle_id'],
    ['changeId', 'correlation_id'],
    ['action', 'action'],
    ['status', 'status'],
    ['step', 'step'],
    ['service', 'service'],
  ];
  for (const [name, column] of equals) if (filters[name] !== undefined) where.push(`${column} = ${params.add(filters[name])}`);
  if (filters.userId !== undefined) {
    const user = params.add(filters.userId);
    where.push(`(source_id = ${user} OR target_id = ${user} OR lower(target_user_name) = lower(${user}))`);
  }
  if (filters.search !== undefined) {
    const pattern = `lower(${params.add(containsPattern(filters.search))})`;
    // The index finds candidates in all identities at once; each must hold the text within one of them.
    const within = IDENTITY_COLUMNS.map((c) => `lower(${c}) LIKE ${pattern}`).join(' OR ');
    where.push(`(${IDENTITY_TEXT} LIKE lower(${params.add(containsPattern(indexedText(filters.search)))}) AND (${within}))`);
  }
  if (filters.from !== undefined) where.push(`occurred_at >= ${params.add(filters.from)}::timestamptz`);
  if (filters.to !== undefined) where.push(`occurred_at <= ${params.add(filters.to)}::timestamptz`);
  if (expr) where.push(filterToSql(expr, params));
  return where;
}
