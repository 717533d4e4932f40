import type { CallExpression, Span } from '../ast';
import type { Fail, ProblemCode } from '../expression-error';
import type { ExpressionValue } from '../values';
import type { FunctionCall } from './function-call';

export interface ParamSpec {
  readonly name: string;
  /**
   * A whole-number parameter: a literal that can never be read as one is rejected at validation time.
   * At run time numeric text is accepted too, since attribute values are mostly text.
   */
  readonly integer?: boolean;
  /** May be left empty between commas, or left off at the end of the list. */
  readonly optional?: boolean;
  /** The trailing variadic parameters form a group that repeats (Switch's key/value pairs). */
  readonly variadic?: boolean;
  /** Evaluated only when the function reads it (IIF's branches, Coalesce's later sources). */
  readonly lazy?: boolean;
}

export type ReportProblem = (problem: { code: ProblemCode; reason: string; span: Span; severity?: 'error' | 'warning' }) => void;

export interface FunctionDefinition {
  /** Documented casing; lookups ignore case. */
  readonly name: string;
  readonly params: readonly ParamSpec[];
  /**
   * An older signature the docs once gave, without optional or variadic parameters; a call with
   * exactly its number of arguments uses it (FormatDateTime's 2020 form without dateTimeStyles).
   */
  readonly olderParams?: readonly ParamSpec[];
  /** How many times the variadic group must appear at least; 1 unless stated. */
  readonly minRepeats?: number;
  /** Must be the whole expression (SelectUniqueValue). */
  readonly topLevelOnly?: boolean;
  /** Checks beyond arity and literal types that the docs make for this function. */
  readonly check?: (call: CallExpression, report: ReportProblem) => void;
  readonly evaluate: (call: FunctionCall) => ExpressionValue;
}

export interface Arity {
  readonly min: number;
  readonly max: number;
  /** Arguments past the fixed ones must come in groups of this size. */
  readonly groupSize: number;
  readonly fixed: number;
}

export function arityOf(definition: FunctionDefinition): Arity {
  const group = definition.params.filter((p) => p.variadic).length;
  const fixed = definition.params.length - group;
  const lastRequired = definition.params.findLastIndex((p) => !p.optional && !p.variadic);
  if (group === 0) return { min: lastRequired + 1, max: fixed, groupSize: 0, fixed };
  return { min: fixed + group * (definition.minRepeats ?? 1), max: Number.POSITIVE_INFINITY, groupSize: group, fixed };
}

/** Whether a call with `count` arguments uses the older signature. */
export function usesOlderForm(definition: FunctionDefinition, count: number): boolean {
  return definition.olderParams?.length === count;
}

/** The parameter an argument stands for, in a call with `count` arguments. */
export function paramAt(definition: FunctionDefinition, index: number, count: number): ParamSpec {
  if (usesOlderForm(definition, count)) return definition.olderParams![index]!;
  const { fixed, groupSize } = arityOf(definition);
  if (index < fixed || groupSize === 0) return definition.params[Math.min(index, definition.params.length - 1)]!;
  return definition.params[fixed + ((index - fixed) % groupSize)]!;
}

export function describeArity(definition: FunctionDefinition): string {
  const { min, max, groupSize } = arityOf(definition);
  const names = definition.params.map((p) => (p.optional ? `${p.name}?` : p.name)).join(', ');
  const count =
    max === Number.POSITIVE_INFINITY
      ? `at least ${min} argument${min === 1 ? '' : 's'}`
      : min === max
        ? `${min} argument${min === 1 ? '' : 's'}`
        : `${min} to ${max} arguments`;
  const group = definition.params.filter((p) => p.variadic).map((p) => p.name);
  const together = groupSize > 1 ? `; ${group.join(' and ')} come in groups` : '';
  const older = definition.olderParams === undefined ? '' : ` or ${definition.olderParams.length} (${definition.olderParams.map((p) => p.name).join(', ')})`;
  return `${count} (${names}${groupSize === 0 ? '' : ', …'})${together}${older}`;
}

class LiteralProblem extends Error {}

/**
 * Runs `validate` on a string-literal argument at validation time and reports its complaint, a
 * predicate such as "is not an interval", as an error about that argument.
 */
export function checkLiteral(
  call: CallExpression,
  index: number,
  report: ReportProblem,
  validate: (text: string, fail: Fail) => unknown,
): void {
  const node = call.args[index];
  if (node?.kind !== 'string') return;
  try {
    validate(node.value, (reason) => {
      throw new LiteralProblem(reason);
    });
  } catch (error) {
    if (!(error instanceof LiteralProblem)) throw error;
    report({ code: 'INVALID_ARGUMENT', reason: `argument ${index + 1} of ${call.name} ${error.message}`, span: node.span });
  }
}
