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
  type ProblemCode,
  type SyntaxErrorCode,
} from './expression-error';
export { FUNCTION_NAMES } from './functions/registry';
export { MAX_EXPRESSION_LENGTH, parseExpression } from './parser';
export { printExpression } from './printer';
export { referencedAttributes } from './referenced-attributes';
export { formatValue, type ExpressionValue, type ScimRole } from './values';
