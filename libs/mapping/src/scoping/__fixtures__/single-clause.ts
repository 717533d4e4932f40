import { compileScopingFilters } from '../compiled-scope';
import type { ScopeAttributeValue, ScopingClause } from '../scoping-filter';

/** Whether one clause, as the only filter, scopes in a subject whose `attribute` is `actual` (absent when undefined). */
export function clauseHolds(clause: ScopingClause, actual?: ScopeAttributeValue, groupIds: readonly string[] = []): boolean {
  const attributes = actual === undefined ? {} : { [clause.attribute]: actual };
  return compileScopingFilters([{ clauses: [clause] }]).evaluate({ attributes, groupIds }).inScope;
}
