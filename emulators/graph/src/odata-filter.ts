import { badRequest } from './graph-errors';

export type FilterLiteral = string | boolean | null;

export type FilterExpression =
  | { kind: 'logical'; op: 'and' | 'or'; left: FilterExpression; right: FilterExpression }
  | { kind: 'compare'; op: 'eq' | 'ne'; property: string; value: FilterLiteral }
  | { kind: 'in'; property: string; values: FilterLiteral[] }
  | { kind: 'startswith'; property: string; value: string };

export type FilterClause = Exclude<FilterExpression, { kind: 'logical' }>;

const TOKEN = /\s*(?:('(?:[^']|'')*')|([(),])|([A-Za-z_][\w./]*))/y;

type Token = { type: 'string'; text: string } | { type: 'punct'; text: string } | { type: 'word'; text: string };

function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  TOKEN.lastIndex = 0;
  while (TOKEN.lastIndex < source.length) {
    if (/^\s*$/.test(source.slice(TOKEN.lastIndex))) break;
    const start = TOKEN.lastIndex;
    const match = TOKEN.exec(source);
    if (!match) throw invalidFilter(`unexpected character at position ${start}`);
    if (match[1] !== undefined) tokens.push({ type: 'string', text: match[1].slice(1, -1).replace(/''/g, "'") });
    else if (match[2] !== undefined) tokens.push({ type: 'punct', text: match[2] });
    else tokens.push({ type: 'word', text: match[3] });
  }
  return tokens;
}

const invalidFilter = (detail: string) => badRequest(`Invalid filter clause: ${detail}.`);

/**
 * The subset of OData `$filter` that directory reads accept without advanced-query headers:
 * `eq`, `ne`, `in`, `startswith()`, combined with `and`/`or` and parentheses.
 */
export function parseFilter(source: string): FilterExpression {
  const tokens = tokenize(source);
  let position = 0;
  const peek = () => tokens[position];
  const take = () => {
    const token = tokens[position++];
    if (!token) throw invalidFilter('unexpected end of expression');
    return token;
  };
  const expect = (text: string) => {
    const token = take();
    if (token.text !== text || token.type === 'string') throw invalidFilter(`expected '${text}' but found '${token.text}'`);
  };
  const keyword = (text: string) => {
    const token = peek();
    return token?.type === 'word' && token.text.toLowerCase() === text;
  };
  const literal = (): FilterLiteral => {
    const token = take();
    if (token.type === 'string') return token.text;
    if (token.type === 'word' && ['true', 'false'].includes(token.text)) return token.text === 'true';
    if (token.type === 'word' && token.text === 'null') return null;
    throw invalidFilter(`'${token.text}' is not a literal`);
  };
  const property = (): string => {
    const token = take();
    if (token.type !== 'word') throw invalidFilter(`expected a property name but found '${token.text}'`);
    return token.text;
  };

  const primary = (): FilterExpression => {
    if (peek()?.text === '(' && peek()?.type === 'punct') {
      take();
      const inner = disjunction();
      expect(')');
      return inner;
    }
    if (keyword('startswith')) {
      take();
      expect('(');
      const name = property();
      expect(',');
      const value = literal();
      expect(')');
      if (typeof value !== 'string') throw invalidFilter('startswith needs a string');
      return { kind: 'startswith', property: name, value };
    }
    const name = property();
    const operator = take().text.toLowerCase();
    if (operator === 'eq' || operator === 'ne') return { kind: 'compare', op: operator, property: name, value: literal() };
    if (operator === 'in') {
      expect('(');
      const values = [literal()];
      while (peek()?.text === ',') {
        take();
        values.push(literal());
      }
      expect(')');
      return { kind: 'in', property: name, values };
    }
    throw invalidFilter(`operator '${operator}' is not supported`);
  };
  const chain = (op: 'and' | 'or', operand: () => FilterExpression) => (): FilterExpression => {
    let left = operand();
    while (keyword(op)) {
      take();
      left = { kind: 'logical', op, left, right: operand() };
    }
    return left;
  };
  const conjunction = chain('and', primary);
  const disjunction = chain('or', conjunction);

  const expression = disjunction();
  if (position < tokens.length) throw invalidFilter(`unexpected '${tokens[position].text}'`);
  return expression;
}

export function* filterClauses(expression: FilterExpression): Generator<FilterClause> {
  if (expression.kind === 'logical') {
    yield* filterClauses(expression.left);
    yield* filterClauses(expression.right);
  } else {
    yield expression;
  }
}

/** Directory string comparisons are case-insensitive. */
const same = (actual: unknown, expected: FilterLiteral) =>
  typeof actual === 'string' && typeof expected === 'string'
    ? actual.toLowerCase() === expected.toLowerCase()
    : (actual ?? null) === expected;

export function matchesFilter(expression: FilterExpression, record: Readonly<Record<string, unknown>>): boolean {
  switch (expression.kind) {
    case 'logical':
      return expression.op === 'and'
        ? matchesFilter(expression.left, record) && matchesFilter(expression.right, record)
        : matchesFilter(expression.left, record) || matchesFilter(expression.right, record);
    case 'compare':
      return same(record[expression.property], expression.value) === (expression.op === 'eq');
    case 'in':
      return expression.values.some((value) => same(record[expression.property], value));
    case 'startswith': {
      const actual = record[expression.property];
      return typeof actual === 'string' && actual.toLowerCase().startsWith(expression.value.toLowerCase());
    }
  }
}
