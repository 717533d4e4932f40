import type { Position, Span } from './ast';

/** Reports why an input can't be used; the helpers that take one stop at the first problem. */
export type Fail = (reason: string) => never;

function at(position: Position): string {
  return `${position.line}:${position.column}`;
}

export type SyntaxErrorCode = 'EXPRESSION_TOO_LONG' | 'EMPTY_EXPRESSION' | 'INVALID_TOKEN' | 'UNEXPECTED_TOKEN';

/** The text is not an expression at all. `message` ends with the 1-based `line:column`. */
export class ExpressionSyntaxError extends Error {
  override readonly name = 'ExpressionSyntaxError';
  constructor(
    readonly code: SyntaxErrorCode,
    readonly reason: string,
    readonly position: Position,
  ) {
    super(`${reason} at ${at(position)}`);
  }
}

export type ProblemCode =
  | SyntaxErrorCode
  | 'UNKNOWN_FUNCTION'
  | 'WRONG_ARITY'
  | 'MISSING_ARGUMENT'
  | 'INVALID_ARGUMENT'
  | 'UNKNOWN_NAME'
  | 'MISPLACED_FUNCTION'
  | 'UNSUPPORTED_IN_ENTRA';

/**
 * One finding of validateExpression. Errors stop compilation; warnings flag patterns that Entra's docs
 * call unsupported but that still evaluate (for example IsPresent as an IIF condition).
 */
export interface ExpressionProblem {
  readonly severity: 'error' | 'warning';
  readonly code: ProblemCode;
  /** What is wrong, without the position. */
  readonly reason: string;
  /** `reason` followed by ` at line:column`. */
  readonly message: string;
  readonly span: Span;
  readonly functionName: string | null;
}

/** compileExpression found errors; `problems` lists all of them, warnings included. */
export class ExpressionValidationError extends Error {
  override readonly name = 'ExpressionValidationError';
  constructor(readonly problems: readonly ExpressionProblem[]) {
    super(
      problems
        .filter((p) => p.severity === 'error')
        .map((p) => p.message)
        .join('; '),
    );
  }
}

export type EvaluationErrorCode =
  | 'INVALID_EXPRESSION'
  | 'INVALID_ARGUMENT'
  | 'INVALID_ATTRIBUTE_VALUE'
  | 'INVALID_CONTEXT'
  | 'CONDITION_ON_EMPTY_ATTRIBUTE'
  | 'NO_UNIQUE_VALUE'
  | 'TOO_MUCH_WORK'
  | 'INTERNAL';

/**
 * The only error evaluation raises. `reason` never quotes attribute values, only their kind, so the
 * message is safe for the audit log even when the expression uses Redact.
 */
export class ExpressionEvaluationError extends Error {
  override readonly name = 'ExpressionEvaluationError';
  constructor(
    readonly code: EvaluationErrorCode,
    readonly functionName: string | null,
    readonly span: Span,
    readonly reason: string,
  ) {
    super(`${functionName === null ? '' : `${functionName}: `}${reason} at ${at(span.start)}`);
  }

  get position(): Position {
    return this.span.start;
  }
}

export function problemMessage(reason: string, span: Span): string {
  return `${reason} at ${at(span.start)}`;
}
