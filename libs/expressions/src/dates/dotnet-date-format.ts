import type { Fail } from '../expression-error';
import { checkRange, fromParts } from './utc-date';

/**
 * .NET custom date and time format strings with the invariant culture, for FormatDateTime and for
 * the `M/d/yyyy h:mm:ss tt` text that CDate, DateAdd and Now return. Every date is UTC, so `z`/`zzz`
 * print +00:00 and `K` prints Z; offsets in parsed text are applied to reach UTC.
 */
type FormatToken =
  | { readonly kind: 'field'; readonly letter: string; readonly count: number }
  | { readonly kind: 'literal'; readonly text: string };

const FIELD_LETTERS = new Set('yMdhHmsfFtzKg');
const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
/** The standard (one-letter) formats that are culture-independent. */
const STANDARD_FORMATS: Readonly<Record<string, string>> = {
  o: "yyyy'-'MM'-'dd'T'HH':'mm':'ss'.'fffffffK",
  O: "yyyy'-'MM'-'dd'T'HH':'mm':'ss'.'fffffffK",
  s: "yyyy'-'MM'-'dd'T'HH':'mm':'ss",
  u: "yyyy'-'MM'-'dd HH':'mm':'ss'Z'",
};

export const ENTRA_DATE_FORMAT = 'M/d/yyyy h:mm:ss tt';

export function tokenizeFormat(format: string, fail: Fail): FormatToken[] {
  if (format.length === 0) fail('is an empty date format');
  if (format.length === 1) {
    const standard = STANDARD_FORMATS[format];
    if (standard !== undefined) return tokenizeFormat(standard, fail);
    if (FIELD_LETTERS.has(format)) fail('is a one-letter standard format other than o, s or u; put % before a single field');
  }
  const tokens: FormatToken[] = [];
  for (let i = 0; i < format.length; ) {
    const ch = format[i]!;
    if (ch === "'" || ch === '"') {
      const end = format.indexOf(ch, i + 1);
      if (end < 0) fail(`has a quote at position ${i + 1} that is never closed`);
      tokens.push({ kind: 'literal', text: format.slice(i + 1, end) });
      i = end + 1;
    } else if (ch === '\\') {
      if (i + 1 >= format.length) fail('ends with a lone backslash');
      tokens.push({ kind: 'literal', text: format[i + 1]! });
      i += 2;
    } else if (ch === '%') {
      const letter = format[i + 1];
      if (letter === undefined || !FIELD_LETTERS.has(letter)) fail("has a '%' that is not followed by a field letter");
      tokens.push({ kind: 'field', letter, count: 1 });
      i += 2;
    } else if (FIELD_LETTERS.has(ch)) {
      let count = 1;
      while (format[i + count] === ch) count++;
      if ((ch === 'f' || ch === 'F') && count > 7) fail('asks for more than 7 fraction digits');
      tokens.push({ kind: 'field', letter: ch, count });
      i += count;
    } else {
      tokens.push({ kind: 'literal', text: ch });
      i++;
    }
  }
  return tokens;
}

const pad = (value: number, width: number): string => String(value).padStart(width, '0');
/** MMM and ddd abbreviate to three letters; MMMM and dddd spell the name out. */
const nameField = (name: string, count: number): string => (count === 3 ? name.slice(0, 3) : name);

function formatField(date: Date, letter: string, count: number): string {
  const hour = date.getUTCHours();
  const fraction = pad(date.getUTCMilliseconds(), 3).padEnd(7, '0').slice(0, count);
  switch (letter) {
    case 'y':
      return count <= 2 ? pad(date.getUTCFullYear() % 100, count) : pad(date.getUTCFullYear(), count);
    case 'M':
      return count <= 2 ? pad(date.getUTCMonth() + 1, count) : nameField(MONTHS[date.getUTCMonth()]!, count);
    case 'd':
      return count <= 2 ? pad(date.getUTCDate(), count) : nameField(DAYS[date.getUTCDay()]!, count);
    case 'h':
      return pad(hour % 12 || 12, Math.min(count, 2));
    case 'H':
      return pad(hour, Math.min(count, 2));
    case 'm':
      return pad(date.getUTCMinutes(), Math.min(count, 2));
    case 's':
      return pad(date.getUTCSeconds(), Math.min(count, 2));
    case 'f':
      return fraction;
    case 'F':
      return fraction.replace(/0+$/, '');
    case 't':
      return (hour < 12 ? 'AM' : 'PM').slice(0, count === 1 ? 1 : 2);
    case 'z':
      return count === 1 ? '+0' : count === 2 ? '+00' : '+00:00';
    case 'K':
      return 'Z';
    default:
      return 'A.D.';
  }
}

export function formatDate(ms: number, format: string, fail: Fail): string {
  const date = new Date(checkRange(ms, fail));
  let out = '';
  for (const token of tokenizeFormat(format, fail)) {
    if (token.kind === 'literal') {
      out += token.text;
      continue;
    }
    const text = formatField(date, token.letter, token.count);
    // .NET drops the separator before an all-zero F fraction: "ss.FFF" prints "05", not "05.".
    if (token.letter === 'F' && text === '' && out.endsWith('.')) out = out.slice(0, -1);
    out += text;
  }
  return out;
}

export interface ParseStyles {
  readonly allowLeadingWhite: boolean;
  readonly allowTrailingWhite: boolean;
  readonly allowInnerWhite: boolean;
}

/** FormatDateTime's documented default: RoundtripKind, AllowLeadingWhite, AllowTrailingWhite. */
export const DEFAULT_PARSE_STYLES: ParseStyles = { allowLeadingWhite: true, allowTrailingWhite: true, allowInnerWhite: false };

const STYLE_FLAGS: Readonly<Record<string, Partial<ParseStyles>>> = {
  none: {},
  allowleadingwhite: { allowLeadingWhite: true },
  allowtrailingwhite: { allowTrailingWhite: true },
  allowinnerwhite: { allowInnerWhite: true },
  allowwhitespaces: { allowLeadingWhite: true, allowTrailingWhite: true, allowInnerWhite: true },
  // The kind and local-time flags change nothing here: every date is read and written as UTC.
  adjusttouniversal: {},
  assumelocal: {},
  assumeuniversal: {},
  roundtripkind: {},
  nocurrentdatedefault: {},
};

/** System.Globalization.DateTimeStyles names, separated by commas or `|`, in any case. */
export function parseStyles(text: string, fail: Fail): ParseStyles {
  let styles: ParseStyles = { allowLeadingWhite: false, allowTrailingWhite: false, allowInnerWhite: false };
  for (const name of text.split(/[,|]/).map((n) => n.trim().toLowerCase())) {
    const flags = STYLE_FLAGS[name];
    if (flags === undefined) fail('names an unknown DateTimeStyles value');
    styles = { ...styles, ...flags };
  }
  return styles;
}

/** Reads text with .NET ParseExact rules for the supported fields; missing date parts default to 0001-01-01. */
class ExactParser {
  private index = 0;
  private year = 1;
  private month = 1;
  private day = 1;
  private hour = 0;
  private minute = 0;
  private second = 0;
  private millisecond = 0;
  private offsetMinutes = 0;
  private pm: boolean | null = null;

  constructor(
    private readonly text: string,
    private readonly styles: ParseStyles,
    private readonly fail: Fail,
  ) {}

  get done(): boolean {
    return this.index >= this.text.length;
  }

  mismatch(): never {
    return this.fail('does not match the input format');
  }

  nextIs(ch: string): boolean {
    return this.text.charAt(this.index) === ch;
  }

  skipWhite(): void {
    while (/\s/.test(this.text.charAt(this.index))) this.index++;
  }

  /** A one-letter numeric field reads one or two digits; longer ones read exactly that many. */
  private digits(count: number): number {
    const [min, max] = count === 1 ? [1, 2] : [count, count];
    let end = this.index;
    while (end - this.index < max && /\d/.test(this.text.charAt(end))) end++;
    if (end - this.index < min) this.mismatch();
    const value = Number(this.text.slice(this.index, end));
    this.index = end;
    return value;
  }

  private oneOf(words: readonly string[]): number {
    const rest = this.text.slice(this.index).toLowerCase();
    const found = words.findIndex((word) => rest.startsWith(word.toLowerCase()));
    if (found < 0) this.mismatch();
    this.index += words[found]!.length;
    return found;
  }

  private offset(allowZ: boolean): void {
    const sign = this.text.charAt(this.index);
    if (allowZ && sign.toUpperCase() === 'Z') {
      this.index++;
      return;
    }
    if (sign !== '+' && sign !== '-') {
      if (allowZ) return;
      this.mismatch();
    }
    this.index++;
    const hours = this.digits(1);
    if (this.text.charAt(this.index) === ':') this.index++;
    const minutes = /\d/.test(this.text.charAt(this.index)) ? this.digits(2) : 0;
    this.offsetMinutes = (sign === '-' ? -1 : 1) * (hours * 60 + minutes);
  }

  literal(text: string): void {
    for (const ch of text) {
      if (/\s/.test(ch) && this.styles.allowInnerWhite) {
        this.skipWhite();
      } else if (this.text.charAt(this.index) === ch) {
        this.index++;
      } else {
        this.mismatch();
      }
    }
  }

  field(letter: string, count: number): void {
    const clock = Math.min(count, 2);
    switch (letter) {
      case 'y': {
        const year = this.digits(count);
        // .NET's TwoDigitYearMax is 2049.
        this.year = count <= 2 ? (year < 50 ? 2000 + year : 1900 + year) : year;
        return;
      }
      case 'M':
        this.month = count <= 2 ? this.digits(count) : this.oneOf(MONTHS.map((m) => nameField(m, count))) + 1;
        return;
      case 'd':
        if (count <= 2) this.day = this.digits(count);
        else this.oneOf(DAYS.map((d) => nameField(d, count)));
        return;
      case 'h':
        this.hour = this.digits(clock);
        if (this.hour < 1 || this.hour > 12) this.fail('has a 12-hour clock hour outside 1 to 12');
        return;
      case 'H':
        this.hour = this.digits(clock);
        return;
      case 'm':
        this.minute = this.digits(clock);
        return;
      case 's':
        this.second = this.digits(clock);
        return;
      case 'f':
      case 'F': {
        const start = this.index;
        while (this.index - start < count && /\d/.test(this.text.charAt(this.index))) this.index++;
        if (letter === 'f' && this.index - start < count) this.mismatch();
        this.millisecond = Number(this.text.slice(start, this.index).padEnd(3, '0').slice(0, 3));
        return;
      }
      case 't':
        this.pm = this.oneOf(count === 1 ? ['A', 'P'] : ['AM', 'PM']) === 1;
        return;
      case 'z':
        this.offset(false);
        return;
      case 'K':
        this.offset(true);
        return;
      default:
        this.oneOf(['A.D.', 'AD']);
    }
  }

  result(): number {
    return fromParts(
      {
        year: this.year,
        month: this.month,
        day: this.day,
        hour: this.pm === null ? this.hour : (this.hour % 12) + (this.pm ? 12 : 0),
        minute: this.minute,
        second: this.second,
        millisecond: this.millisecond,
        offsetMinutes: this.offsetMinutes,
      },
      this.fail,
    );
  }
}

export function parseExact(text: string, format: string, styles: ParseStyles, fail: Fail): number {
  const tokens = tokenizeFormat(format, fail);
  const parser = new ExactParser(text, styles, fail);
  if (styles.allowLeadingWhite) parser.skipWhite();
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    const next = tokens[i + 1];
    if (styles.allowInnerWhite) parser.skipWhite();
    // As in .NET, "ss.FFF" also reads "30" alone: an optional fraction takes its separator with it.
    if (token.kind === 'literal' && token.text === '.' && next?.kind === 'field' && next.letter === 'F' && !parser.nextIs('.')) i++;
    else if (token.kind === 'literal') parser.literal(token.text);
    else parser.field(token.letter, token.count);
  }
  if (styles.allowTrailingWhite || styles.allowInnerWhite) parser.skipWhite();
  if (!parser.done) parser.mismatch();
  return parser.result();
}
