import type { ExpressionNode } from './ast';
import type { EvaluationContext, EvaluationResult } from './evaluation-context';
import { ExpressionSyntaxError, ExpressionValidationError, problemMessage, type ExpressionProblem } from './expression-error';
import { evaluateValidated, usesRedact } from './evaluator';
import { parseExpression } from './parser';
import { printExpression } from './printer';
import { referencedAttributes } from './referenced-attributes';
import { validateAst } from './validator';
import { formatValue } from './values';

export interface CompiledExpression {
  readonly ast: ExpressionNode;
  /** printExpression(ast): the form to store and compare. */
  readonly canonicalText: string;
  readonly referencedAttributes: readonly string[];
  /** Uses Redact: audit logs must show "[Redact]" instead of values. */
  readonly redacted: boolean;
  /** Patterns the docs call unsupported in Entra; they still evaluate. */
  readonly warnings: readonly ExpressionProblem[];
  /** Throws ExpressionEvaluationError only. */
  evaluate(context: EvaluationContext): EvaluationResult;
}

/** Every problem in the text, syntax errors included; never throws. */
export function validateExpression(text: string): ExpressionProblem[] {
  try {
    return validateAst(parseExpression(text));
  } catch (error) {
    if (!(error instanceof ExpressionSyntaxError)) throw error;
    const span = { start: error.position, end: error.position };
    const message = problemMessage(error.reason, span);
    return [{ severity: 'error', code: error.code, reason: error.reason, message, span, functionName: null }];
  }
}

/** Parses and validates once, for evaluating against many users. Throws ExpressionSyntaxError or ExpressionValidationError. */
export function compileExpression(text: string): CompiledExpression {
  const ast = parseExpression(text);
  const problems = validateAst(ast);
  if (problems.some((problem) => problem.severity === 'error')) throw new ExpressionValidationError(problems);
  const redacted = usesRedact(ast);
  return {
    ast,
    canonicalText: printExpression(ast),
    referencedAttributes: referencedAttributes(ast),
    redacted,
    warnings: problems,
    evaluate: (context) => evaluateValidated(ast, context, redacted),
  };
}

/** What the audit log shows for a result: "[Redact]" when the expression redacts, else the value as text. */
export function auditText(result: EvaluationResult): string | null {
  return result.redacted ? '[Redact]' : formatValue(result.value);
}
