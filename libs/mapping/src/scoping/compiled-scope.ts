import { valuesOf } from './scope-values';
import type { ClauseVerdict, FilterVerdict, ScopeSubject, ScopeVerdict, ScopingFilter } from './scoping-filter';
import { ScopingFilterError } from './scoping-problem';
import { analyseScopingFilters, type CompiledClause, type CompiledFilter } from './validate-scoping-filters';

export interface CompiledScope {
  /** Never throws for a subject of the declared shape; a value it can't interpret fails its clause. */
  evaluate(subject: ScopeSubject): ScopeVerdict;
}

/** Own properties only, so an attribute named e.g. `constructor` reads as absent, not as Object's. */
const readAttribute = (subject: ScopeSubject, attribute: string): unknown =>
  Object.hasOwn(subject.attributes, attribute) ? (subject.attributes[attribute] ?? null) : null;

function evaluateClause(compiled: CompiledClause, subject: ScopeSubject): ClauseVerdict {
  const actual = compiled.readsGroups ? subject.groupIds : readAttribute(subject, compiled.clause.attribute);
  return { clause: compiled.clause, passed: compiled.test(valuesOf(actual)), actual };
}

const label = (filter: CompiledFilter, index: number) => (filter.name === null ? `filter ${index + 1}` : `filter ${JSON.stringify(filter.name)}`);

function whyFailed(filter: CompiledFilter, verdict: FilterVerdict, index: number): string {
  const failed = verdict.clauses.findIndex((c) => !c.passed);
  const actual = JSON.stringify(verdict.clauses[failed]!.actual);
  return `${label(filter, index)} failed on clause ${failed + 1}: ${filter.clauses[failed]!.text} (actual ${actual})`;
}

function evaluate(filters: readonly CompiledFilter[], subject: ScopeSubject): ScopeVerdict {
  if (filters.length === 0) return { inScope: true, reason: 'in scope: no scoping filters', filters: [] };
  // Every clause is evaluated, not just up to the first failure, so the verdict shows them all as Entra's provision-on-demand does.
  const verdicts = filters.map((filter, index): FilterVerdict => {
    const clauses = filter.clauses.map((clause) => evaluateClause(clause, subject));
    return { name: filter.name ?? `filter ${index + 1}`, passed: clauses.every((c) => c.passed), clauses };
  });
  const matched = verdicts.findIndex((v) => v.passed);
  if (matched !== -1) return { inScope: true, reason: `in scope: ${label(filters[matched]!, matched)} matched`, filters: verdicts };
  const failures = verdicts.map((verdict, index) => whyFailed(filters[index]!, verdict, index));
  return { inScope: false, reason: `out of scope: no filter matched; ${failures.join('; ')}`, filters: verdicts };
}

/** Validates and compiles a job's scoping filters once, for evaluation against every user of every cycle. */
export function compileScopingFilters(filters: ScopingFilter[]): CompiledScope {
  const analysis = analyseScopingFilters(filters);
  if (analysis.problems.length > 0) throw new ScopingFilterError(analysis.problems);
  return { evaluate: (subject) => evaluate(analysis.filters, subject) };
}
