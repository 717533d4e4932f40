import { scopingClauseSchema, scopingFilterSchema } from '@roster/contracts';
import type { Fail } from '@roster/expressions';
import { z } from 'zod';
import { MEMBERSHIP_ATTRIBUTE, type ScopingClause, type ScopingOperator } from './scoping-filter';
import { operatorDefinition, SCOPING_OPERATORS, type ValuesTest } from './scoping-operators';
import type { ScopingProblem, ScopingProblemCode } from './scoping-problem';

export interface CompiledClause {
  clause: ScopingClause;
  /** `department EQUALS "Sales"`, as the verdict's reason quotes it. */
  text: string;
  readsGroups: boolean;
  test: ValuesTest;
}

export interface CompiledFilter {
  name: string | null;
  clauses: CompiledClause[];
}

type Place = Pick<ScopingProblem, 'filterIndex' | 'filterName' | 'clauseIndex' | 'attribute'>;

// The clauses are checked one by one below, so that one bad clause doesn't hide problems in the others.
const filterShape = scopingFilterSchema.extend({ clauses: z.array(z.unknown()) });

class ValueRejected extends Error {}

const rejectValue: Fail = (reason) => {
  throw new ValueRejected(reason);
};

function where({ filterIndex, filterName, clauseIndex, attribute }: Place): string {
  if (filterIndex === null) return '';
  const filter = `filter ${filterIndex + 1}${filterName === null ? '' : ` (${JSON.stringify(filterName)})`}`;
  const clause = clauseIndex === null ? '' : `, clause ${clauseIndex + 1}${attribute === null ? '' : ` (${attribute})`}`;
  return `${filter}${clause}: `;
}

const problem = (place: Place, code: ScopingProblemCode, reason: string): ScopingProblem => ({
  code,
  ...place,
  message: `${where(place)}${reason}`,
});

const shapeProblems = (place: Place, issues: readonly z.core.$ZodIssue[]): ScopingProblem[] =>
  issues.map((issue) => problem(place, 'INVALID_SHAPE', issue.path.length === 0 ? issue.message : `${issue.path.join('.')}: ${issue.message}`));

function unknownOperator(operator: string): string {
  const sameLetters = SCOPING_OPERATORS.find((known) => known.toLowerCase() === operator.toLowerCase());
  const hint = sameLetters === undefined ? `expected one of ${SCOPING_OPERATORS.join(', ')}` : `did you mean "${sameLetters}"? operators are case-sensitive`;
  return `unknown operator ${JSON.stringify(operator)}; ${hint}`;
}

function analyseClause(raw: unknown, place: Place, problems: ScopingProblem[]): CompiledClause | undefined {
  const parsed = scopingClauseSchema.safeParse(raw);
  if (!parsed.success) {
    problems.push(...shapeProblems(place, parsed.error.issues));
    return undefined;
  }
  const { attribute, operator, value } = parsed.data;
  const at = { ...place, attribute };
  const definition = operatorDefinition(operator);
  if (definition === undefined) {
    problems.push(problem(at, 'UNKNOWN_OPERATOR', unknownOperator(operator)));
    return undefined;
  }
  const found: ScopingProblem[] = [];
  // An empty value counts as none: forms send "" for a blank field, and no operand is meaningfully empty.
  const hasValue = value !== undefined && value !== '';
  if (definition.operand === 'none' && hasValue) found.push(problem(at, 'UNEXPECTED_VALUE', `${operator} takes no value, got ${JSON.stringify(value)}`));
  if (definition.operand !== 'none' && !hasValue) found.push(problem(at, 'MISSING_VALUE', `${operator} needs a value`));
  if (definition.operand === 'groupId' && attribute !== MEMBERSHIP_ATTRIBUTE) {
    found.push(problem(at, 'NOT_MEMBERSHIP_ATTRIBUTE', `${operator} tests group membership, so its attribute must be "${MEMBERSHIP_ATTRIBUTE}"`));
  }
  problems.push(...found);
  if (found.length > 0) return undefined;
  try {
    const test = definition.compile(value ?? '', rejectValue);
    const clause: ScopingClause = { ...parsed.data, operator: operator as ScopingOperator };
    const text = `${attribute} ${operator}${definition.operand === 'none' ? '' : ` ${JSON.stringify(value)}`}`;
    return { clause, text, readsGroups: definition.operand === 'groupId', test };
  } catch (error) {
    if (!(error instanceof ValueRejected)) throw error;
    problems.push(problem(at, 'INVALID_VALUE', `${operator}: ${error.message}`));
    return undefined;
  }
}

function analyseFilter(raw: unknown, filterIndex: number, problems: ScopingProblem[]): CompiledFilter | undefined {
  const parsed = filterShape.safeParse(raw);
  if (!parsed.success) {
    problems.push(...shapeProblems({ filterIndex, filterName: null, clauseIndex: null, attribute: null }, parsed.error.issues));
    return undefined;
  }
  const filterName = parsed.data.name ?? null;
  const place = { filterIndex, filterName, clauseIndex: null, attribute: null };
  if (parsed.data.clauses.length === 0) {
    problems.push(problem(place, 'NO_CLAUSES', 'has no clauses; to scope everyone in, remove the filter instead'));
    return undefined;
  }
  const clauses = parsed.data.clauses.map((clause, clauseIndex) => analyseClause(clause, { ...place, clauseIndex }, problems));
  return clauses.every((c) => c !== undefined) ? { name: filterName, clauses } : undefined;
}

/**
 * Checks filters and compiles each clause (regexes included) in the same pass, so what validation
 * accepts is exactly what evaluation runs. `filters` is complete only when `problems` is empty.
 */
export function analyseScopingFilters(input: unknown): { problems: ScopingProblem[]; filters: CompiledFilter[] } {
  if (!Array.isArray(input)) {
    const place = { filterIndex: null, filterName: null, clauseIndex: null, attribute: null };
    const kind = input === null ? 'null' : typeof input;
    return { problems: [problem(place, 'NOT_A_LIST', `scoping filters must be a list, got ${kind}`)], filters: [] };
  }
  const problems: ScopingProblem[] = [];
  const filters = input.map((raw, index) => analyseFilter(raw, index, problems)).filter((f) => f !== undefined);
  return { problems, filters };
}

/** Every problem in a list of scoping filters, for admins before they save; [] when the list is usable. */
export function validateScopingFilters(filters: unknown): ScopingProblem[] {
  return analyseScopingFilters(filters).problems;
}
