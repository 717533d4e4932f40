import { Matcher, RE2JS, RE2JSSyntaxException } from 're2js';
import type { Fail } from '../expression-error';
import type { WorkMeter } from './work-meter';

/**
 * Patterns run on RE2 (re2js), whose search time is linear in the text: a pattern may come from a
 * directory attribute, and a backtracking engine lets `^(a+)+$` take longer than the job lock lasts.
 * RE2 reads the syntax the docs' .NET examples use (classes, quantifiers, `(?<name>…)`, inline `(?i)`);
 * what needs backtracking (backreferences, lookaround, atomic groups, possessive quantifiers) is refused
 * with a reason that names the construct and never quotes the pattern, which may be an attribute's value.
 */
export class LinearRegex {
  private readonly names: Readonly<Record<string, number>>;

  constructor(private readonly re: RE2JS) {
    this.names = re.namedGroups();
  }

  groupNames(): string[] {
    return Object.keys(this.names);
  }

  /** Unanchored, like .NET's Regex.IsMatch; one search, which RE2 bounds by the text's length. */
  test(text: string): boolean {
    return this.re.test(text);
  }

  /** Every match from left to right; each search is charged for the text it may scan. */
  *matchAll(text: string, meter: Pick<WorkMeter, 'charge'>): Generator<RegexMatch> {
    const matcher = this.re.matcher(text);
    let from = 0;
    while (from <= text.length) {
      meter.charge(text.length - from + 1);
      if (!matcher.find()) return;
      const match = new RegexMatch(matcher, this.names);
      // Where the matcher's next search starts, to charge it: after an empty match one further, as in .NET.
      from = match.end === match.start ? match.end + 1 : match.end;
      yield match;
    }
  }

  first(text: string, meter: Pick<WorkMeter, 'charge'>): RegexMatch | undefined {
    const { done, value } = this.matchAll(text, meter).next();
    return done === true ? undefined : value;
  }
}

/** A snapshot of one match: RE2's matcher is overwritten by the next search. */
export class RegexMatch {
  readonly start: number;
  readonly end: number;
  /** The whole match. */
  readonly text: string;
  private readonly spans: (readonly [number, number] | undefined)[];
  private readonly groupTexts: (string | undefined)[];

  constructor(
    matcher: Matcher,
    private readonly names: Readonly<Record<string, number>>,
  ) {
    this.start = matcher.start();
    this.end = matcher.end();
    this.spans = Array.from({ length: matcher.groupCount() + 1 }, (_, i) => (matcher.start(i) < 0 ? undefined : ([matcher.start(i), matcher.end(i)] as const)));
    this.groupTexts = this.spans.map((span) => (span === undefined ? undefined : matcher.substring(span[0], span[1])));
    this.text = this.groupTexts[0] ?? '';
  }

  /** Whether the pattern has a group of that number or name (matched or not). */
  hasGroup(key: number | string): boolean {
    return this.indexOf(key) !== undefined;
  }

  /** The text a group captured; undefined when it took no part in the match or does not exist. */
  group(key: number | string): string | undefined {
    const index = this.indexOf(key);
    return index === undefined ? undefined : this.groupTexts[index];
  }

  /** Where a group's capture lies in the text, as [start, end). */
  span(key: number | string): readonly [number, number] | undefined {
    const index = this.indexOf(key);
    return index === undefined ? undefined : this.spans[index];
  }

  private indexOf(key: number | string): number | undefined {
    if (typeof key === 'number') return key >= 0 && key < this.spans.length ? key : undefined;
    return Object.hasOwn(this.names, key) ? this.names[key] : undefined;
  }
}

const UNSUPPORTED = "which Roster's linear-time regular expressions (RE2) do not support";

/** The construct RE2 refused, named without quoting the pattern. */
function refusal(error: RE2JSSyntaxException): string {
  const fragment = error.input ?? '';
  if (/^\\(?:[1-9]|k)/.test(fragment)) return `uses a backreference, ${UNSUPPORTED}`;
  if (/^\(\?<?[=!]/.test(fragment)) return `uses lookahead or lookbehind, ${UNSUPPORTED}`;
  if (fragment.startsWith('(?>')) return `uses an atomic group, ${UNSUPPORTED}`;
  if (/^[*+?}]\+$/.test(fragment)) return `uses a possessive quantifier, ${UNSUPPORTED}`;
  if (fragment === '\\Z') return `uses \\Z, ${UNSUPPORTED}; use $ or \\z`;
  return `is not a valid regular expression (${error.error})`;
}

/** .NET writes a UTF-16 code unit as `\uXXXX`; RE2 reads the same as `\x{XXXX}`. */
function toRe2Syntax(pattern: string): string {
  return pattern.replace(/\\(?:u([0-9A-Fa-f]{4})|[^])/g, (escape, hex: string | undefined) => (hex === undefined ? escape : `\\x{${hex}}`));
}

/** Compiles a pattern written for .NET Regex; `fail` hears why it can't be run. */
export function compileRegex(pattern: string, fail: Fail): LinearRegex {
  try {
    return new LinearRegex(RE2JS.compile(toRe2Syntax(pattern)));
  } catch (error) {
    if (error instanceof RE2JSSyntaxException) return fail(refusal(error));
    throw error;
  }
}

/** Expands .NET substitutions in a replacement: `${name}`, `$1`, `${1}`, `$&` and `$$`. */
export function expandReplacement(replacement: string, match: RegexMatch): string {
  return replacement.replace(/\$(?:\$|&|\{(\w+)\}|(\d+))/g, (token, braced: string | undefined, digits: string | undefined) => {
    if (token === '$$') return '$';
    if (token === '$&') return match.text;
    const raw = braced ?? digits!;
    const key = /^\d+$/.test(raw) ? Number(raw) : raw;
    return match.hasGroup(key) ? (match.group(key) ?? '') : token;
  });
}
