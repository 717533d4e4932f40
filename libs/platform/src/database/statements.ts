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
