/** One SQL statement with its parameters ($1… numbered from 1). */
export interface Statement {
  sql: string;
  params: unknown[];
}

/**
 * Data-modifying statements run as one (a WITH of them: `s0`, `s1`, … in order) so they cost one
 * round trip and, outside a transaction, commit together. They all see the same snapshot, so none
 * may depend on another's effect (statements on different tables, in practice). `result` is the
 * query that answers, over the `sN` names (whose statements then need a RETURNING).
 */
export function together(statements: readonly Statement[], result = 'SELECT 1'): Statement {
  const params: unknown[] = [];
  const parts = statements.map((s, i) => {
    const offset = params.length;
    params.push(...s.params);
    return `s${i} AS (${s.sql.replace(/\$(\d+)/g, (_, n: string) => `$${Number(n) + offset}`)})`;
  });
  return { sql: `WITH ${parts.join(', ')} ${result}`, params };
}

/** Anything that runs SQL through TypeORM: the data source, a transaction's manager, a query runner. */
export interface Sql {
  query(sql: string, params?: unknown[]): Promise<unknown>;
}

const names = new Map<string, string>();

/**
 * Runs a statement prepared under a name of its own: PostgreSQL parses and plans it once per
 * connection instead of on every run (node-postgres prepares a query that has a name, and TypeORM
 * hands the query to it as given). For the statements a path runs per item; `sql` must be one of a
 * few fixed texts (a name per text, kept for the process's life).
 */
export function runPrepared(db: Sql, { sql, params }: Statement): Promise<unknown> {
  let name = names.get(sql);
  if (name === undefined) names.set(sql, (name = `roster_${names.size + 1}`));
  return db.query({ name, text: sql } as unknown as string, params);
}
