import type { CallExpression } from '../ast';
import { DEFAULT_PARSE_STYLES, ENTRA_DATE_FORMAT, formatDate, parseExact, parseStyles, tokenizeFormat } from '../dates/dotnet-date-format';
import { parseDateTime } from '../dates/parse-date-time';
import { addMonths, checkRange, MS_PER_DAY } from '../dates/utc-date';
import type { Fail } from '../expression-error';
import { checkLiteral, type FunctionDefinition, type ReportProblem } from './function-definition';
import type { FunctionCall } from './function-call';

/** Milliseconds from 1601-01-01 (the start of AD's FILETIME) to 1970-01-01. */
const FILETIME_EPOCH_MS = 11_644_473_600_000n;
const TICKS_PER_MS = 10_000n;
const INTERVALS = ['yyyy', 'm', 'd', 'ww', 'h', 'n', 's'] as const;
type Interval = (typeof INTERVALS)[number];
const FIXED_INTERVAL_MS: Readonly<Record<Exclude<Interval, 'yyyy' | 'm'>, number>> = {
  ww: 7 * MS_PER_DAY,
  d: MS_PER_DAY,
  h: 3_600_000,
  n: 60_000,
  s: 1_000,
};

/** Date helpers give a predicate ("is not a calendar date"); this names its subject. */
const failOn =
  (call: FunctionCall, index?: number): Fail =>
  (reason) =>
    call.fail(`${index === undefined ? 'the result' : call.label(index)} ${reason}`, index);

/** Where FormatDateTime's arguments are: the three-argument form has no dateTimeStyles. */
function formatDateTimeArguments(count: number): { styles?: number; input: number; output: number } {
  return count === 3 ? { input: 1, output: 2 } : { styles: 1, input: 2, output: 3 };
}

/** VB accepts interval names in any case. */
function toInterval(text: string, fail: Fail): Interval {
  const interval = INTERVALS.find((name) => name === text.toLowerCase());
  return interval ?? fail(`is not an interval; use one of ${INTERVALS.join(', ')}`);
}

function checkInterval(call: CallExpression, report: ReportProblem): void {
  checkLiteral(call, 0, report, toInterval);
}

/** A date argument: text CDate understands, such as the output of CDate, Now or DateAdd. */
function dateArgument(call: FunctionCall, index: number): number | null {
  const text = call.text(index);
  return text === null ? null : parseDateTime(text, failOn(call, index));
}

function now(call: FunctionCall): number {
  const clock = call.context.now;
  const date: unknown = clock === undefined ? new Date() : clock();
  const badClock = (): never => call.fail('the context clock did not return a valid Date in years 1 to 9999', undefined, 'INVALID_CONTEXT');
  if (!(date instanceof Date)) return badClock();
  return checkRange(date.getTime(), badClock);
}

/** VB DateDiff: calendar units count boundaries crossed; fixed units truncate toward zero (`|| 0` turns -0 into 0). */
function dateDiff(interval: Interval, from: number, to: number): number {
  const [a, b] = [new Date(from), new Date(to)];
  switch (interval) {
    case 'yyyy':
      return b.getUTCFullYear() - a.getUTCFullYear();
    case 'm':
      return (b.getUTCFullYear() - a.getUTCFullYear()) * 12 + b.getUTCMonth() - a.getUTCMonth();
    case 'ww': {
      // Weeks start on Sunday: both dates move back to their week's Sunday before whole weeks are counted.
      const days = Math.trunc((to - b.getUTCDay() * MS_PER_DAY - (from - a.getUTCDay() * MS_PER_DAY)) / MS_PER_DAY);
      return Math.trunc(days / 7) || 0;
    }
    default:
      return Math.trunc((to - from) / FIXED_INTERVAL_MS[interval]) || 0;
  }
}

function dateAdd(interval: Interval, amount: number, date: number, fail: Fail): number {
  if (interval === 'yyyy' || interval === 'm') return addMonths(date, interval === 'yyyy' ? amount * 12 : amount, fail);
  return checkRange(date + amount * FIXED_INTERVAL_MS[interval], fail);
}

const entraText = (ms: number, fail: Fail): string => formatDate(ms, ENTRA_DATE_FORMAT, fail);

export const DATE_FUNCTIONS: readonly FunctionDefinition[] = [
  {
    name: 'CDate',
    params: [{ name: 'expression' }],
    evaluate: (call) => {
      const date = dateArgument(call, 0);
      return date === null ? null : entraText(date, failOn(call));
    },
  },
  {
    name: 'DateAdd',
    params: [
      { name: 'interval' },
      { name: 'value', integer: true },
      { name: 'dateTime' },
    ],
    check: checkInterval,
    evaluate: (call) => {
      const interval = toInterval(call.requiredText(0), failOn(call, 0));
      const amount = call.integer(1);
      const date = dateArgument(call, 2);
      return date === null ? null : entraText(dateAdd(interval, amount, date, failOn(call)), failOn(call));
    },
  },
  {
    name: 'DateDiff',
    params: [
      { name: 'interval' },
      { name: 'date1' },
      { name: 'date2' },
    ],
    check: checkInterval,
    evaluate: (call) => {
      const interval = toInterval(call.requiredText(0), failOn(call, 0));
      const [from, to] = [dateArgument(call, 1), dateArgument(call, 2)];
      return from === null || to === null ? null : dateDiff(interval, from, to);
    },
  },
  {
    name: 'DateFromNum',
    params: [{ name: 'value' }],
    evaluate: (call) => {
      const value = call.value(0);
      if (value === null) return null;
      const text = call.requiredText(0).trim();
      // Parsed as BigInt: AD timestamps (~1.3e17) are beyond the integers a double holds exactly.
      if (!/^-?\d+$/.test(text)) call.fail(`${call.label(0)} must be an AD timestamp (a whole number of 100-ns ticks since 1601)`, 0);
      const ms = Number(BigInt(text) / TICKS_PER_MS - FILETIME_EPOCH_MS);
      return entraText(checkRange(ms, failOn(call, 0)), failOn(call));
    },
  },
  {
    name: 'FormatDateTime',
    params: [
      { name: 'source' },
      { name: 'dateTimeStyles', optional: true },
      { name: 'inputFormat' },
      { name: 'outputFormat' },
    ],
    // Entra still runs the 2020 docs' form, and admins paste mappings written for it.
    olderParams: [{ name: 'source' }, { name: 'inputFormat' }, { name: 'outputFormat' }],
    check: (call, report) => {
      const { styles, input, output } = formatDateTimeArguments(call.args.length);
      if (styles !== undefined) checkLiteral(call, styles, report, parseStyles);
      checkLiteral(call, input, report, tokenizeFormat);
      checkLiteral(call, output, report, tokenizeFormat);
    },
    evaluate: (call) => {
      const text = call.text(0);
      if (text === null) return null;
      const { styles: stylesAt, input, output } = formatDateTimeArguments(call.count);
      const stylesText = stylesAt === undefined ? null : call.text(stylesAt);
      const styles = stylesText === null || stylesText === '' ? DEFAULT_PARSE_STYLES : parseStyles(stylesText, failOn(call, stylesAt));
      const [inputFormat, outputFormat] = [call.requiredText(input), call.requiredText(output)];
      tokenizeFormat(inputFormat, failOn(call, input));
      return formatDate(parseExact(text, inputFormat, styles, failOn(call, 0)), outputFormat, failOn(call, output));
    },
  },
  {
    name: 'Now',
    params: [],
    evaluate: (call) => entraText(now(call), failOn(call)),
  },
  {
    name: 'NumFromDate',
    params: [{ name: 'value' }],
    // Returned as decimal text: the tick count is past the range of exactly representable doubles.
    evaluate: (call) => {
      const date = dateArgument(call, 0);
      if (date === null) return null;
      const ticks = (BigInt(date) + FILETIME_EPOCH_MS) * TICKS_PER_MS;
      if (ticks < 0n) call.fail(`${call.label(0)} is before 1601, where AD timestamps start`, 0);
      return ticks.toString();
    },
  },
];
