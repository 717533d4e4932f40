import type { Argument, CallExpression, ExpressionNode, Operand, Position, Span } from './ast';
import { ExpressionSyntaxError } from './expression-error';
import { describeToken, positionAt, tokenize, type Token } from './lexer';

/** Entra's documented limit for one attribute-mapping expression. */
export const MAX_EXPRESSION_LENGTH = 10_000;

/** Where a value is expected, so messages can say "argument 2 of Join" rather than "here". */
type Slot = { readonly functionName: string; readonly argument: number } | null;

function describeSlot(slot: Slot): string {
  return slot === null ? 'a function call, attribute, string or number' : `argument ${slot.argument} of ${slot.functionName}`;
}

class Parser {
  private index = 0;

  constructor(private readonly tokens: readonly Token[]) {}

  parse(): ExpressionNode {
    if (this.peek().type === 'end') {
      throw new ExpressionSyntaxError('EMPTY_EXPRESSION', 'the expression is empty', this.peek().span.start);
    }
    const node = this.expression(null);
    const rest = this.peek();
    if (rest.type !== 'end') this.fail(`unexpected ${describeToken(rest)} after the end of the expression`, rest);
    return node;
  }

  private peek(): Token {
    return this.tokens[this.index]!;
  }

  private next(): Token {
    const token = this.tokens[this.index]!;
    if (token.type !== 'end') this.index++;
    return token;
  }

  private fail(reason: string, token: Token): never {
    throw new ExpressionSyntaxError('UNEXPECTED_TOKEN', reason, token.span.start);
  }

  private expression(slot: Slot): ExpressionNode {
    const left = this.operand(describeSlot(slot));
    const operatorToken = this.peek();
    if (operatorToken.type !== 'operator') return left;
    this.next();
    const right = this.operand(`a value after '${operatorToken.operator}'`);
    const chained = this.peek();
    if (chained.type === 'operator') this.fail('comparisons cannot be chained; nest IIF calls instead', chained);
    return { kind: 'comparison', operator: operatorToken.operator, left, right, span: spanOf(left.span.start, right.span.end) };
  }

  private operand(expected: string): Operand {
    const token = this.next();
    switch (token.type) {
      case 'string':
        return { kind: 'string', value: token.value, span: token.span };
      case 'number':
        return { kind: 'number', value: token.value, span: token.span };
      case 'attribute':
        return { kind: 'attribute', name: token.name, span: token.span };
      case 'identifier':
        return this.peek().type === '(' ? this.call(token) : { kind: 'identifier', name: token.name, span: token.span };
      default:
        return this.fail(`expected ${expected}, found ${describeToken(token)}`, token);
    }
  }

  private call(nameToken: Token & { type: 'identifier' }): CallExpression {
    const functionName = nameToken.name;
    this.next(); // '('
    const args: Argument[] = [];
    let close = this.peek();
    if (close.type === ')') {
      this.next();
      return { kind: 'call', name: functionName, args, span: spanOf(nameToken.span.start, close.span.end) };
    }
    for (;;) {
      const argument = args.length + 1;
      const start = this.peek();
      args.push(
        start.type === ',' || start.type === ')'
          ? { kind: 'omitted', span: { start: start.span.start, end: start.span.start } }
          : this.expression({ functionName, argument }),
      );
      close = this.next();
      if (close.type === ')') break;
      if (close.type === 'end') this.fail(`expected ')' after argument ${argument} of ${functionName}`, close);
      if (close.type !== ',') {
        this.fail(`expected ',' or ')' after argument ${argument} of ${functionName}, found ${describeToken(close)}`, close);
      }
    }
    return { kind: 'call', name: functionName, args, span: spanOf(nameToken.span.start, close.span.end) };
  }
}

function spanOf(start: Position, end: Position): Span {
  return { start, end };
}

/**
 * Parses Entra attribute-mapping expression text into an AST with source positions.
 * Throws ExpressionSyntaxError; unknown functions and wrong arity are left to validateExpression.
 */
export function parseExpression(text: string): ExpressionNode {
  if (text.length > MAX_EXPRESSION_LENGTH) {
    throw new ExpressionSyntaxError(
      'EXPRESSION_TOO_LONG',
      `the expression is ${text.length} characters long; the limit is ${MAX_EXPRESSION_LENGTH}`,
      positionAt(text, MAX_EXPRESSION_LENGTH),
    );
  }
  return new Parser(tokenize(text)).parse();
}
