import type { ComparisonOperator, Position, Span } from './ast';
import { ExpressionSyntaxError } from './expression-error';

export type Token =
  | { readonly type: 'string'; readonly value: string; readonly span: Span }
  | { readonly type: 'number'; readonly value: number; readonly span: Span }
  | { readonly type: 'attribute'; readonly name: string; readonly span: Span }
  | { readonly type: 'identifier'; readonly name: string; readonly span: Span }
  | { readonly type: 'operator'; readonly operator: ComparisonOperator; readonly span: Span }
  | { readonly type: '(' | ')' | ',' | 'end'; readonly span: Span };

const OPERATORS: readonly ComparisonOperator[] = ['<>', '<=', '>=', '=', '<', '>'];
const DECIMAL = /-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const HEX = /&[hH]([0-9a-fA-F]+)/y;
const IDENTIFIER = /[A-Za-z_][A-Za-z0-9_]*/y;
const WORD_CHAR = /[A-Za-z0-9_]/;

/** Walks the text keeping line and column in step with the offset. */
class Cursor {
  offset = 0;
  private line = 1;
  private column = 1;

  constructor(readonly text: string) {}

  get atEnd(): boolean {
    return this.offset >= this.text.length;
  }

  peek(ahead = 0): string {
    return this.text.charAt(this.offset + ahead);
  }

  position(): Position {
    return { offset: this.offset, line: this.line, column: this.column };
  }

  advance(count = 1): void {
    for (let i = 0; i < count && !this.atEnd; i++) {
      if (this.text.charAt(this.offset) === '\n') {
        this.line++;
        this.column = 1;
      } else {
        this.column++;
      }
      this.offset++;
    }
  }

  /** Matches a sticky regex at the cursor without consuming it. */
  match(pattern: RegExp): RegExpExecArray | null {
    pattern.lastIndex = this.offset;
    return pattern.exec(this.text);
  }
}

function fail(reason: string, position: Position): never {
  throw new ExpressionSyntaxError('INVALID_TOKEN', reason, position);
}

export function describeToken(token: Token): string {
  switch (token.type) {
    case 'string':
      return `string "${token.value.length > 20 ? `${token.value.slice(0, 20)}…` : token.value}"`;
    case 'number':
      return `number ${token.value}`;
    case 'attribute':
      return `attribute [${token.name}]`;
    case 'identifier':
      return `name '${token.name}'`;
    case 'operator':
      return `'${token.operator}'`;
    case 'end':
      return 'the end of the expression';
    default:
      return `'${token.type}'`;
  }
}

function readString(cursor: Cursor): string {
  const start = cursor.position();
  cursor.advance();
  let value = '';
  while (!cursor.atEnd) {
    const ch = cursor.peek();
    if (ch === '"') {
      cursor.advance();
      return value;
    }
    // The docs require \" and \\ inside strings. Any other backslash is kept as written, so regex
    // patterns such as "[()\s-]+" copied from older examples keep working.
    if (ch === '\\' && (cursor.peek(1) === '"' || cursor.peek(1) === '\\')) {
      value += cursor.peek(1);
      cursor.advance(2);
    } else {
      value += ch;
      cursor.advance();
    }
  }
  return fail(`unclosed string: the '"' here has no closing '"'`, start);
}

function readAttribute(cursor: Cursor): string {
  const start = cursor.position();
  cursor.advance();
  let name = '';
  while (!cursor.atEnd && cursor.peek() !== ']') {
    const ch = cursor.peek();
    if (ch === '[' || ch === '"' || ch === '\n' || ch === '\r') break;
    name += ch;
    cursor.advance();
  }
  if (cursor.peek() !== ']') fail(`unclosed attribute: expected ']' to close the '[' here`, start);
  cursor.advance();
  if (name.trim() === '') fail('empty attribute name', start);
  if (name.trim() !== name) fail(`attribute name '${name}' starts or ends with whitespace`, start);
  return name;
}

function readNumber(cursor: Cursor): number {
  const start = cursor.position();
  const hex = cursor.match(HEX);
  const text = hex ? hex[0] : cursor.match(DECIMAL)![0];
  const value = hex ? Number.parseInt(hex[1]!, 16) : Number(text);
  cursor.advance(text.length);
  if (WORD_CHAR.test(cursor.peek())) fail(`invalid number '${text}${cursor.peek()}'`, start);
  if (!Number.isFinite(value) || (hex !== null && !Number.isSafeInteger(value))) {
    fail(`number ${text} is out of range`, start);
  }
  return value === 0 ? 0 : value; // no -0: it would print as 0 and not round-trip
}

function readToken(cursor: Cursor): Token {
  const start = cursor.position();
  const span = (): Span => ({ start, end: cursor.position() });
  const ch = cursor.peek();
  if (cursor.atEnd) return { type: 'end', span: span() };
  if (ch === '(' || ch === ')' || ch === ',') {
    cursor.advance();
    return { type: ch, span: span() };
  }
  if (ch === '"') return { type: 'string', value: readString(cursor), span: span() };
  if (ch === '[') return { type: 'attribute', name: readAttribute(cursor), span: span() };
  if (/\d/.test(ch) || (ch === '-' && /\d/.test(cursor.peek(1))) || cursor.match(HEX)) {
    return { type: 'number', value: readNumber(cursor), span: span() };
  }
  const identifier = cursor.match(IDENTIFIER);
  if (identifier) {
    cursor.advance(identifier[0].length);
    return { type: 'identifier', name: identifier[0], span: span() };
  }
  const operator = OPERATORS.find((op) => cursor.text.startsWith(op, cursor.offset));
  if (operator) {
    cursor.advance(operator.length);
    return { type: 'operator', operator, span: span() };
  }
  if (ch === '“' || ch === '”') fail(`unexpected character '${ch}': strings need straight double quotes (")`, start);
  if (ch === '&') fail(`unexpected character '&': join strings with Join or Append`, start);
  return fail(`unexpected character '${ch}'`, start);
}

/** Splits expression text into tokens; whitespace, including line breaks, only separates them. */
export function tokenize(text: string): Token[] {
  const cursor = new Cursor(text);
  const tokens: Token[] = [];
  for (;;) {
    while (!cursor.atEnd && /\s/.test(cursor.peek())) cursor.advance();
    const token = readToken(cursor);
    tokens.push(token);
    if (token.type === 'end') return tokens;
  }
}

/** The position of an offset, for errors about text that is never tokenized (the length limit). */
export function positionAt(text: string, offset: number): Position {
  const before = text.slice(0, offset);
  const lineStart = before.lastIndexOf('\n') + 1;
  return { offset, line: before.split('\n').length, column: offset - lineStart + 1 };
}
