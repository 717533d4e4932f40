import { GraphProvisioningAction, GraphProvisioningResult } from '@roster/contracts';

/**
 * What `$filter` may name: the properties of provisioningObjectSummary Roster filters on. `nullAs`
 * is what the summary shows for a column without a value (Graph writes "" for an unknown identity).
 */
export const FILTER_FIELDS = {
  id: { type: 'string', nullAs: null },
  activityDateTime: { type: 'datetime', nullAs: null },
  jobId: { type: 'string', nullAs: null },
  cycleId: { type: 'string', nullAs: null },
  changeId: { type: 'string', nullAs: null },
  provisioningAction: { type: 'enum', values: GraphProvisioningAction.options, nullAs: null },
  'provisioningStatusInfo/status': { type: 'enum', values: GraphProvisioningResult.options, nullAs: null },
  'provisioningStatusInfo/errorInformation/errorCode': { type: 'string', nullAs: null },
  'sourceIdentity/id': { type: 'string', nullAs: '' },
  'sourceIdentity/displayName': { type: 'string', nullAs: '' },
  'targetIdentity/id': { type: 'string', nullAs: '' },
  'targetIdentity/displayName': { type: 'string', nullAs: '' },
} as const satisfies Record<string, { type: 'string' | 'datetime' | 'enum'; nullAs: '' | null; values?: readonly string[] }>;
export type FilterField = keyof typeof FILTER_FIELDS;

export type ComparisonOperator = 'eq' | 'gt' | 'lt';

/** A parsed `$filter`. Date-time values are normalised to toISOString()'s form. */
export type FilterExpr =
  | { kind: 'and' | 'or'; left: FilterExpr; right: FilterExpr }
  | { kind: 'compare'; op: ComparisonOperator; field: FilterField; value: string | null }
  | { kind: 'contains'; field: FilterField; value: string };

/** A `$filter` this resource cannot run, with where and why: the API answers it as a 400. */
export class FilterError extends Error {}

const SUPPORTED = 'this resource supports eq, gt, lt and contains(), joined with and/or and parentheses';
const OTHER_OPERATORS = new Set(['ne', 'ge', 'le', 'has', 'in', 'not', 'add', 'sub', 'mul', 'div', 'mod']);
const MAX_TERMS = 64;

type Token =
  | { t: 'punct'; v: '(' | ')' | ','; at: number }
  | { t: 'string'; v: string; at: number }
  | { t: 'datetime'; v: string; at: number }
  | { t: 'number'; v: string; at: number }
  | { t: 'word'; v: string; at: number };

const DATETIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,7})?)?(?:Z|[+-]\d{2}:\d{2})/;
const WORD = /^[A-Za-z_][A-Za-z0-9_/.]*/;
const NUMBER = /^-?\d+(?:\.\d+)?/;

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (/\s/.test(c)) {
      i++;
    } else if (c === '(' || c === ')' || c === ',') {
      tokens.push({ t: 'punct', v: c, at: i++ });
    } else if (c === "'") {
      // OData doubles a quote inside a string literal.
      let value = '';
      let j = i + 1;
      for (;;) {
        if (j >= text.length) throw new FilterError(`unterminated string literal at ${i}`);
        if (text[j] === "'") {
          if (text[j + 1] === "'") {
            value += "'";
            j += 2;
            continue;
          }
          break;
        }
        value += text[j++];
      }
      tokens.push({ t: 'string', v: value, at: i });
      i = j + 1;
    } else {
      const rest = text.slice(i);
      const datetime = DATETIME.exec(rest);
      const number = datetime ? null : NUMBER.exec(rest);
      const word = datetime || number ? null : WORD.exec(rest);
      if (datetime) tokens.push({ t: 'datetime', v: datetime[0], at: i });
      else if (number) tokens.push({ t: 'number', v: number[0], at: i });
      else if (word) tokens.push({ t: 'word', v: word[0], at: i });
      else throw new FilterError(`unexpected '${c}' at ${i}`);
      i += (datetime ?? number ?? word)![0].length;
    }
  }
  return tokens;
}

/**
 * Parses the subset of OData `$filter` that Graph accepts on auditLogs/provisioning: `eq`, `gt`,
 * `lt` and `contains(property, 'text')`, case-sensitive, joined by `and`/`or` with parentheses.
 * Anything else is refused with a FilterError naming it, never ignored.
 */
export function parseFilter(text: string): FilterExpr {
  const tokens = tokenize(text);
  let pos = 0;
  let terms = 0;
  const peek = () => tokens[pos];
  const describe = (token: Token | undefined) => (token ? `'${token.v}' at ${token.at}` : 'the end of the filter');
  const expectPunct = (v: '(' | ')' | ',') => {
    const token = tokens[pos++];
    if (token?.t !== 'punct' || token.v !== v) throw new FilterError(`expected '${v}' but found ${describe(token)}`);
  };
  const isWord = (token: Token | undefined, v: string): boolean => token?.t === 'word' && token.v === v;

  const field = (): FilterField => {
    const token = tokens[pos++];
    if (token?.t !== 'word') throw new FilterError(`expected a property but found ${describe(token)}`);
    if (!(token.v in FILTER_FIELDS)) {
      throw new FilterError(`unknown or unfilterable property '${token.v}' at ${token.at}; filterable: ${Object.keys(FILTER_FIELDS).join(', ')}`);
    }
    return token.v as FilterField;
  };

  const literalFor = (name: FilterField, op: ComparisonOperator): string | null => {
    const token = tokens[pos++];
    const spec: { type: string; values?: readonly string[] } = FILTER_FIELDS[name];
    if (isWord(token, 'null')) {
      if (op !== 'eq') throw new FilterError(`null can only be compared with eq (at ${token!.at})`);
      return null;
    }
    if (spec.type === 'datetime') {
      if (token?.t !== 'datetime' || Number.isNaN(Date.parse(token.v))) {
        throw new FilterError(`${name} compares with a date-time such as 2026-12-01T10:00:00Z, found ${describe(token)}`);
      }
      return new Date(token.v).toISOString();
    }
    if (token?.t !== 'string') throw new FilterError(`${name} compares with a quoted string, found ${describe(token)}`);
    if (spec.values) {
      if (op !== 'eq') throw new FilterError(`${name} supports eq only (found ${op})`);
      if (!spec.values.includes(token.v)) throw new FilterError(`${name} is one of ${spec.values.join(', ')}; found '${token.v}'`);
    }
    return token.v;
  };

  const primary = (): FilterExpr => {
    if (++terms > MAX_TERMS) throw new FilterError(`more than ${MAX_TERMS} terms`);
    const token = peek();
    if (token?.t === 'punct' && token.v === '(') {
      pos++;
      const inner = or();
      expectPunct(')');
      return inner;
    }
    if (token?.t === 'word' && tokens[pos + 1]?.t === 'punct' && tokens[pos + 1]!.v === '(') {
      if (token.v !== 'contains') throw new FilterError(`function ${token.v}() at ${token.at} is not supported; ${SUPPORTED}`);
      pos += 2;
      const name = field();
      expectPunct(',');
      const value = tokens[pos++];
      if (value?.t !== 'string') throw new FilterError(`contains() takes a quoted string, found ${describe(value)}`);
      if (FILTER_FIELDS[name].type !== 'string') throw new FilterError(`contains() applies to text properties, not ${name}`);
      expectPunct(')');
      return { kind: 'contains', field: name, value: value.v };
    }
    if (token?.t === 'word' && OTHER_OPERATORS.has(token.v)) throw new FilterError(`operator ${token.v} at ${token.at} is not supported; ${SUPPORTED}`);
    const name = field();
    const op = tokens[pos++];
    if (op?.t !== 'word' || !['eq', 'gt', 'lt'].includes(op.v)) {
      if (op?.t === 'word' && OTHER_OPERATORS.has(op.v)) throw new FilterError(`operator ${op.v} at ${op.at} is not supported; ${SUPPORTED}`);
      throw new FilterError(`expected eq, gt or lt after ${name} but found ${describe(op)}`);
    }
    return { kind: 'compare', op: op.v as ComparisonOperator, field: name, value: literalFor(name, op.v as ComparisonOperator) };
  };

  const joined = (kind: 'and' | 'or', operand: () => FilterExpr) => (): FilterExpr => {
    let left = operand();
    while (isWord(peek(), kind)) {
      pos++;
      left = { kind, left, right: operand() };
    }
    return left;
  };
  const and = joined('and', primary);
  const or = joined('or', and);

  if (tokens.length === 0) throw new FilterError('the filter is empty');
  const expr = or();
  if (pos < tokens.length) {
    const token = tokens[pos]!;
    if (token.t === 'word' && OTHER_OPERATORS.has(token.v)) throw new FilterError(`operator ${token.v} at ${token.at} is not supported; ${SUPPORTED}`);
    throw new FilterError(`unexpected ${describe(token)}; expected and, or or the end`);
  }
  return expr;
}
