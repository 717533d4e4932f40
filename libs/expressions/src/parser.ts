import type { Argument, ComparisonOperator, ExpressionNode, Operand } from './ast';
import { ExpressionSyntaxError } from './expression-error';
import { describeToken, positionAt, tokenize, type Token } from './lexer';

/** Entra's documented limit for one attribute-mapping expression. */
export const MAX_EXPRESSION_LENGTH = 10_000;

const TOP_LEVEL = 'a function call, attribute, string or number';

type IdentifierToken = Token & { readonly type: 'identifier' };
type OperatorToken = Token & { readonly type: 'operator'; readonly operator: ComparisonOperator };

/** Calls and comparisons still waiting for their closing parts. */
type Open =
  | { readonly kind: 'call'; readonly name: IdentifierToken; readonly args: Argument[] }
  | { readonly kind: 'comparison'; readonly left: Operand; readonly operator: OperatorToken };

/**
 * What the parser is doing next. `operand`: read a value; `argument`: start an argument of the
 * innermost open call; `afterArgument`: expect `,` or `)`; `operandDone` / `expressionDone`: attach
 * the node just finished to whatever is open.
 */
type State = 'operand' | 'argument' | 'afterArgument' | 'operandDone' | 'expressionDone';

/**
 * A loop over an explicit stack rather than recursive descent: nesting depth is bounded only by the
 * length limit (5,000 levels of `F(`), never by the JavaScript call stack.
 */
class Parser {
  private index = 0;
  private readonly open: Open[] = [];

  constructor(private readonly tokens: readonly Token[]) {}

  parse(): ExpressionNode {
    if (this.peek().type === 'end') {
      throw new ExpressionSyntaxError('EMPTY_EXPRESSION', 'the expression is empty', this.peek().span.start);
    }
    let state: State = 'operand';
    let expected = TOP_LEVEL;
    let node: ExpressionNode | undefined;
    for (;;) {
      switch (state) {
        case 'operand': {
          const token = this.next();
          if (token.type === 'identifier' && this.peek().type === '(') {
            this.next();
            this.open.push({ kind: 'call', name: token, args: [] });
            state = 'argument';
          } else {
            node = this.leaf(token, expected);
            state = 'operandDone';
          }
          break;
        }
        case 'argument': {
          const call = this.innermostCall();
          const next = this.peek();
          if (next.type === ')' && call.args.length === 0) {
            state = 'afterArgument'; // F() has no arguments at all
          } else if (next.type === ',' || next.type === ')') {
            call.args.push({ kind: 'omitted', span: { start: next.span.start, end: next.span.start } });
            state = 'afterArgument';
          } else {
            expected = `argument ${call.args.length + 1} of ${call.name.name}`;
            state = 'operand';
          }
          break;
        }
        case 'afterArgument': {
          const call = this.innermostCall();
          const close = this.next();
          const after = `after argument ${call.args.length} of ${call.name.name}`;
          if (close.type === ',') {
            state = 'argument';
          } else if (close.type === ')') {
            this.open.pop();
            node = { kind: 'call', name: call.name.name, args: call.args, span: { start: call.name.span.start, end: close.span.end } };
            state = 'operandDone';
          } else if (close.type === 'end') {
            this.fail(`expected ')' ${after}`, close);
          } else {
            this.fail(`expected ',' or ')' ${after}, found ${describeToken(close)}`, close);
          }
          break;
        }
        case 'operandDone': {
          const operand = node as Operand;
          const pending = this.open.at(-1);
          const operator = this.peek();
          if (pending?.kind === 'comparison') {
            this.open.pop();
            if (operator.type === 'operator') this.fail('comparisons cannot be chained; nest IIF calls instead', operator);
            const span = { start: pending.left.span.start, end: operand.span.end };
            node = { kind: 'comparison', operator: pending.operator.operator, left: pending.left, right: operand, span };
            state = 'expressionDone';
          } else if (operator.type === 'operator') {
            this.next();
            this.open.push({ kind: 'comparison', left: operand, operator });
            expected = `a value after '${operator.operator}'`;
            state = 'operand';
          } else {
            state = 'expressionDone';
          }
          break;
        }
        case 'expressionDone': {
          const call = this.open.at(-1);
          if (call === undefined) return this.finish(node!);
          this.innermostCall().args.push(node!);
          state = 'afterArgument';
          break;
        }
      }
    }
  }

  private leaf(token: Token, expected: string): Operand {
    switch (token.type) {
      case 'string':
        return { kind: 'string', value: token.value, span: token.span };
      case 'number':
        return { kind: 'number', value: token.value, span: token.span };
      case 'attribute':
        return { kind: 'attribute', name: token.name, span: token.span };
      case 'identifier':
        return { kind: 'identifier', name: token.name, span: token.span };
      default:
        return this.fail(`expected ${expected}, found ${describeToken(token)}`, token);
    }
  }

  private finish(node: ExpressionNode): ExpressionNode {
    const rest = this.peek();
    if (rest.type !== 'end') this.fail(`unexpected ${describeToken(rest)} after the end of the expression`, rest);
    return node;
  }

  /** Used only while a call is innermost: a comparison is closed as soon as its right operand is read. */
  private innermostCall(): Open & { kind: 'call' } {
    return this.open.at(-1) as Open & { kind: 'call' };
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

