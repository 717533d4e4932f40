import { stringify } from 'yaml';
import { truthy, type TemplateFunction } from './go-template';

type Value = unknown;

const str = (v: Value): string => (v === null || v === undefined ? '' : String(v));
const num = (v: Value): number => {
  const n = Number(v);
  if (!Number.isFinite(n)) throw new Error(`not a number: ${String(v)}`);
  return n;
};

function indent(width: Value, text: Value): string {
  const pad = ' '.repeat(num(width));
  return pad + str(text).replace(/\n/g, `\n${pad}`);
}

/** Go's fmt verbs the chart uses: %s, %d, %v and %q. */
function printf(format: Value, ...args: Value[]): string {
  let i = 0;
  return str(format).replace(/%([sdvq%])/g, (_, verb: string) => {
    if (verb === '%') return '%';
    const arg = args[i++];
    if (verb === 'd') return String(Math.trunc(num(arg)));
    if (verb === 'q') return JSON.stringify(str(arg));
    return str(arg);
  });
}

function compare(op: (a: number | string, b: number | string) => boolean): TemplateFunction {
  return (a, b) => op(typeof a === 'string' ? a : num(a), typeof b === 'string' ? b : num(b));
}

/** The Sprig and Helm functions the chart uses, with Helm's semantics. */
export const SPRIG: Record<string, TemplateFunction> = {
  // Helm's toYaml: keys sorted as Go marshals maps, no trailing newline.
  toYaml: (v) => stringify(v ?? null, { sortMapEntries: true, lineWidth: 0 }).replace(/\n$/, ''),
  toJson: (v) => JSON.stringify(v ?? null),
  indent,
  nindent: (width, text) => `\n${indent(width, text)}`,
  quote: (...args) => args.filter((a) => a !== null && a !== undefined).map((a) => JSON.stringify(str(a))).join(' '),
  squote: (...args) => args.filter((a) => a !== null && a !== undefined).map((a) => `'${str(a)}'`).join(' '),
  default: (fallback, given) => (truthy(given) ? given : fallback),
  required: (message, value) => {
    if (value === null || value === undefined || value === '') throw new Error(str(message));
    return value;
  },
  fail: (message) => {
    throw new Error(str(message));
  },
  printf,
  trimSuffix: (suffix, s) => (str(s).endsWith(str(suffix)) ? str(s).slice(0, str(s).length - str(suffix).length) : str(s)),
  trimPrefix: (prefix, s) => (str(s).startsWith(str(prefix)) ? str(s).slice(str(prefix).length) : str(s)),
  trunc: (n, s) => str(s).slice(0, num(n)),
  replace: (from, to, s) => str(s).split(str(from)).join(str(to)),
  lower: (s) => str(s).toLowerCase(),
  upper: (s) => str(s).toUpperCase(),
  contains: (sub, s) => str(s).includes(str(sub)),
  hasPrefix: (prefix, s) => str(s).startsWith(str(prefix)),
  join: (sep, list) => (list as Value[]).map(str).join(str(sep)),
  toString: str,
  int: (v) => Math.trunc(num(v ?? 0)),
  add: (...args) => args.reduce<number>((sum, a) => sum + num(a), 0),
  sub: (a, b) => num(a) - num(b),
  mul: (...args) => args.reduce<number>((p, a) => p * num(a), 1),
  div: (a, b) => Math.trunc(num(a) / num(b)),
  max: (...args) => Math.max(...args.map(num)),
  eq: (a, ...others) => others.some((b) => a === b),
  ne: (a, b) => a !== b,
  lt: compare((a, b) => a < b),
  le: compare((a, b) => a <= b),
  gt: compare((a, b) => a > b),
  ge: compare((a, b) => a >= b),
  and: (...args) => args.find((a) => !truthy(a)) ?? args[args.length - 1],
  or: (...args) => args.find((a) => truthy(a)) ?? args[args.length - 1],
  not: (v) => !truthy(v),
  empty: (v) => !truthy(v),
  hasKey: (map, key) => typeof map === 'object' && map !== null && Object.prototype.hasOwnProperty.call(map, str(key)),
  dict: (...args) => Object.fromEntries(Array.from({ length: args.length / 2 }, (_, i) => [str(args[2 * i]), args[2 * i + 1]])),
  list: (...args) => args,
  len: (v) => (Array.isArray(v) || typeof v === 'string' ? v.length : Object.keys((v as object) ?? {}).length),
  keys: (map) => Object.keys((map as object) ?? {}),
  sortAlpha: (list) => [...(list as Value[])].map(str).sort(),
  append: (list, v) => [...((list as Value[]) ?? []), v],
  ternary: (whenTrue, whenFalse, condition) => (truthy(condition) ? whenTrue : whenFalse),
  // Go's builtin: index a map by key or a list by position, one step per argument.
  index: (collection, ...keys) => keys.reduce<Value>((v, k) => (v === null || v === undefined ? undefined : (v as Record<string, Value>)[str(k)]), collection),
};
