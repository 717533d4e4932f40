/** A place in the expression text: `offset` counts UTF-16 code units from 0, `line` and `column` count from 1. */
export interface Position {
  readonly offset: number;
  readonly line: number;
  readonly column: number;
}

/** The half-open range `[start, end)` of source text a node was parsed from. */
export interface Span {
  readonly start: Position;
  readonly end: Position;
}

export type ComparisonOperator = '=' | '<>' | '<' | '<=' | '>' | '>=';

export interface StringLiteral {
  readonly kind: 'string';
  readonly value: string;
  readonly span: Span;
}

/** Decimal (`-10`, `1.5`) or VB hexadecimal (`&HF7`) literal; the printer always writes decimal. */
export interface NumberLiteral {
  readonly kind: 'number';
  readonly value: number;
  readonly span: Span;
}

/** `[givenName]`: reads one attribute of the source object. */
export interface AttributeRef {
  readonly kind: 'attribute';
  readonly name: string;
  readonly span: Span;
}

/** A bare name that is not a call, such as `vbBinaryCompare` in InStr. */
export interface Identifier {
  readonly kind: 'identifier';
  readonly name: string;
  readonly span: Span;
}

/** `Name(arg, …)`. `name` is as written; function names resolve case-insensitively. */
export interface CallExpression {
  readonly kind: 'call';
  readonly name: string;
  readonly args: readonly Argument[];
  readonly span: Span;
}

/** An argument position left empty between commas, e.g. the 2nd one in `FormatDateTime([x], , "yyyy", "yy")`. */
export interface OmittedArgument {
  readonly kind: 'omitted';
  readonly span: Span;
}

/** `left = right` and the other comparison operators; they can't be chained, so operands are never comparisons. */
export interface Comparison {
  readonly kind: 'comparison';
  readonly operator: ComparisonOperator;
  readonly left: Operand;
  readonly right: Operand;
  readonly span: Span;
}

export type Operand = StringLiteral | NumberLiteral | AttributeRef | Identifier | CallExpression;
export type ExpressionNode = Operand | Comparison;
export type Argument = ExpressionNode | OmittedArgument;
