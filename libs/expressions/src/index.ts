/**
 * Microsoft Entra attribute-mapping expressions: parse text to an AST with positions, validate it
 * (unknown functions, arity, the docs' rules), print it canonically, and evaluate it against one source
 * user. compileExpression does the first three once for evaluating many users.
 */
export type {
  Argument,
  AttributeRef,
  CallExpression,
  Comparison,
  ComparisonOperator,
  ExpressionNode,
  Identifier,
  NumberLiteral,
  OmittedArgument,
  Operand,
  Position,
  Span,
  StringLiteral,
} from './ast';
export { auditText, compileExpression, validateExpression, type CompiledExpression } from './compile-expression';
export { CONTEXT_ATTRIBUTES, type AppRoleAssignment, type EvaluationContext, type EvaluationResult } from './evaluation-context';
export { evaluateExpression } from './evaluator';
export {
  ExpressionEvaluationError,
  ExpressionSyntaxError,
  ExpressionValidationError,
  type EvaluationErrorCode,
  type ExpressionProblem,
  type Fail,
  type ProblemCode,
  type SyntaxErrorCode,
} from './expression-error';
export { FUNCTION_NAMES } from './functions/registry';
export { MAX_EXPRESSION_LENGTH, parseExpression } from './parser';
export { printExpression } from './printer';
export { referencedAttributes } from './referenced-attributes';
export { compileRegex, type LinearRegex } from './text/dotnet-regex';
export { DEFAULT_WORK_BUDGET, WorkMeter } from './text/work-meter';
export { formatValue, type ExpressionValue, type ScimRole } from './values';
