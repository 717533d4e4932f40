import type { Argument, CallExpression, ExpressionNode, Span } from './ast';
import { findConstant } from './constants';
import { problemMessage, type ExpressionProblem, type ProblemCode } from './expression-error';
import { arityOf, describeArity, paramAt, type FunctionDefinition, type ParamSpec } from './functions/function-definition';
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
  const close = FUNCTIONS.find((definition) => editDistance(definition.name.toLowerCase(), name.toLowerCase()) <= 2);
  return close === undefined ? '' : `; did you mean ${close.name}?`;
}

/** Literal arguments that can never be read as the parameter's type are caught before evaluation. */
function literalTypeProblem(param: ParamSpec, arg: Argument): string | null {
  if (param.type !== 'integer' && param.type !== 'number') return null;
  const wanted = param.type === 'integer' ? 'a whole number' : 'a number';
  if (arg.kind === 'number') return param.type === 'integer' && !Number.isInteger(arg.value) ? `must be ${wanted}` : null;
  if (arg.kind === 'string') {
    const value = arg.value.trim() === '' ? Number.NaN : Number(arg.value);
    return Number.isFinite(value) && (param.type === 'number' || Number.isInteger(value)) ? null : `must be ${wanted}`;
  }
  return null;
}

function checkCall(call: CallExpression, definition: FunctionDefinition, topLevel: boolean, report: Report): void {
  const { min, max, fixed, groupSize } = arityOf(definition);
  const count = call.args.length;
  const badGroup = groupSize > 0 && count > fixed && (count - fixed) % groupSize !== 0;
  if (count < min || count > max || badGroup) {
    const reason = `${definition.name} expects ${describeArity(definition)}, got ${count}`;
    report({ code: 'WRONG_ARITY', reason, span: call.span });
    return;
  }
  call.args.forEach((arg, index) => {
    const param = paramAt(definition, index);
    const label = `argument ${index + 1} (${param.name}) of ${definition.name}`;
    if (arg.kind === 'omitted') {
      if (!param.optional) report({ code: 'MISSING_ARGUMENT', reason: `${label} can't be left empty`, span: arg.span });
      return;
    }
    const problem = literalTypeProblem(param, arg);
    if (problem !== null) report({ code: 'INVALID_ARGUMENT', reason: `${label} ${problem}`, span: arg.span });
  });
  if (definition.topLevelOnly && !topLevel) {
    const reason = `${definition.name} must be the whole expression, not nested in another call`;
    report({ code: 'MISPLACED_FUNCTION', reason, span: call.span });
  }
  definition.check?.(call, report);
}

/** Checks a parsed expression: known functions, arity, empty arguments, literal argument types and the docs' rules. */
export function validateAst(root: ExpressionNode): ExpressionProblem[] {
  const problems: ExpressionProblem[] = [];
  const visit = (node: ExpressionNode, topLevel: boolean, functionName: string | null): void => {
    const report: Report = (problem) =>
      problems.push({
        severity: problem.severity ?? 'error',
        code: problem.code,
        reason: problem.reason,
        message: problemMessage(problem.reason, problem.span),
        span: problem.span,
        functionName: problem.functionName === undefined ? functionName : problem.functionName,
      });
    switch (node.kind) {
      case 'identifier':
        if (findConstant(node.name) === undefined) {
          const reason = `unknown name '${node.name}': text needs double quotes, and a function call needs ()`;
          report({ code: 'UNKNOWN_NAME', reason, span: node.span });
        }
        return;
      case 'comparison':
        visit(node.left, false, functionName);
        visit(node.right, false, functionName);
        return;
      case 'call': {
        const definition = findFunction(node.name);
        if (definition === undefined) {
          const reason = `unknown function '${node.name}'${suggestion(node.name)}`;
          report({ code: 'UNKNOWN_FUNCTION', reason, span: node.span, functionName: node.name });
        } else {
          checkCall(node, definition, topLevel, (problem) => report({ ...problem, functionName: definition.name }));
        }
        for (const arg of node.args) if (arg.kind !== 'omitted') visit(arg, false, definition?.name ?? node.name);
      }
    }
  };
  visit(root, true, null);
  return problems;
}
