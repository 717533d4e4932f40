import type { Argument, CallExpression, ExpressionNode, Span } from './ast';
import { findConstant } from './constants';
import { problemMessage, type ExpressionProblem, type ProblemCode } from './expression-error';
import { arityOf, describeArity, paramAt, usesOlderForm, type FunctionDefinition, type ParamSpec } from './functions/function-definition';
import { FUNCTIONS, findFunction } from './functions/registry';

type Report = (problem: {
  code: ProblemCode;
  reason: string;
  span: Span;
  severity?: 'error' | 'warning';
  functionName?: string | null;
}) => void;

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length]!;
}

function suggestion(name: string): string {
  const wanted = name.toLowerCase();
  // Names whose lengths differ by more than 2 can't be within distance 2; skipping them keeps this cheap.
  const close = FUNCTIONS.find(
    (definition) => Math.abs(definition.name.length - wanted.length) <= 2 && editDistance(definition.name.toLowerCase(), wanted) <= 2,
  );
  return close === undefined ? '' : `; did you mean ${close.name}?`;
}

/** Literal arguments that can never be whole numbers are caught before evaluation. */
function isNonInteger(param: ParamSpec, arg: Argument): boolean {
  if (!param.integer) return false;
  if (arg.kind === 'number') return !Number.isInteger(arg.value);
  return arg.kind === 'string' && (arg.value.trim() === '' || !Number.isInteger(Number(arg.value)));
}

function checkCall(call: CallExpression, definition: FunctionDefinition, topLevel: boolean, report: Report): void {
  const { min, max, fixed, groupSize } = arityOf(definition);
  const count = call.args.length;
  const badGroup = groupSize > 0 && count > fixed && (count - fixed) % groupSize !== 0;
  if ((count < min || count > max || badGroup) && !usesOlderForm(definition, count)) {
    const reason = `${definition.name} expects ${describeArity(definition)}, got ${count}`;
    report({ code: 'WRONG_ARITY', reason, span: call.span });
    return;
  }
  call.args.forEach((arg, index) => {
    const param = paramAt(definition, index, count);
    const label = `argument ${index + 1} (${param.name}) of ${definition.name}`;
    if (arg.kind === 'omitted') {
      if (!param.optional) report({ code: 'MISSING_ARGUMENT', reason: `${label} can't be left empty`, span: arg.span });
      return;
    }
    if (isNonInteger(param, arg)) report({ code: 'INVALID_ARGUMENT', reason: `${label} must be a whole number`, span: arg.span });
  });
  if (definition.topLevelOnly && !topLevel) {
    const reason = `${definition.name} must be the whole expression, not nested in another call`;
    report({ code: 'MISPLACED_FUNCTION', reason, span: call.span });
  }
  definition.check?.(call, report);
}

/**
 * Checks a parsed expression: known functions, arity, empty arguments, literal argument types and the
 * docs' rules. Walks an explicit stack, so depth is limited by the text length only.
 */
export function validateAst(root: ExpressionNode): ExpressionProblem[] {
  const problems: ExpressionProblem[] = [];
  const pending: { node: ExpressionNode; functionName: string | null }[] = [{ node: root, functionName: null }];
  while (pending.length > 0) {
    const { node, functionName } = pending.pop()!;
    const report: Report = (problem) =>
      problems.push({
        severity: problem.severity ?? 'error',
        code: problem.code,
        reason: problem.reason,
        message: problemMessage(problem.reason, problem.span),
        span: problem.span,
        functionName: problem.functionName === undefined ? functionName : problem.functionName,
      });
    if (node.kind === 'identifier' && findConstant(node.name) === undefined) {
      const reason = `unknown name '${node.name}': text needs double quotes, and a function call needs ()`;
      report({ code: 'UNKNOWN_NAME', reason, span: node.span });
    }
    if (node.kind === 'comparison') pending.push({ node: node.right, functionName }, { node: node.left, functionName });
    if (node.kind === 'call') {
      const definition = findFunction(node.name);
      if (definition === undefined) {
        const reason = `unknown function '${node.name}'${suggestion(node.name)}`;
        report({ code: 'UNKNOWN_FUNCTION', reason, span: node.span, functionName: node.name });
      } else {
        checkCall(node, definition, node === root, (problem) => report({ ...problem, functionName: definition.name }));
      }
      const name = definition?.name ?? node.name;
      for (const arg of [...node.args].reverse()) if (arg.kind !== 'omitted') pending.push({ node: arg, functionName: name });
    }
  }
  return problems;
}
