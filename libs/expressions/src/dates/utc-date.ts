/**
 * Dates are UTC milliseconds since 1970, kept inside .NET DateTime's range (years 1–9999) so every
 * result is one Entra could also produce.
 */
import type { Fail } from '../expression-error';

export const MS_PER_DAY = 86_400_000;
const MAX_DATE_MS = Date.UTC(9999, 11, 31, 23, 59, 59, 999);
// Date.UTC maps years 0–99 to 1900–1999, so year 1 needs setUTCFullYear.
const MIN_DATE_MS = new Date(0).setUTCFullYear(1, 0, 1);

export interface DateParts {
  readonly year: number;
  readonly month: number;
  readonly day: number;
  readonly hour: number;
  readonly minute: number;
  readonly second: number;
  readonly millisecond: number;
  /** Minutes east of UTC that the parts are written in. */
  readonly offsetMinutes: number;
}

const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function daysInMonth(year: number, month: number): number {
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  return month === 2 && leap ? 29 : MONTH_DAYS[month - 1]!;
}

export function checkRange(ms: number, fail: Fail): number {
  if (!Number.isFinite(ms) || ms < MIN_DATE_MS || ms > MAX_DATE_MS) fail('falls outside years 1 to 9999');
  return ms;
}

/** Builds a UTC instant from calendar parts, rejecting impossible ones such as February 30. */
export function fromParts(parts: DateParts, fail: Fail): number {
  const { year, month, day, hour, minute, second, millisecond, offsetMinutes } = parts;
  // The reasons name no parts of the value: it may come from a redacted attribute.
  if (year < 1 || year > 9999) fail('has a year outside 1 to 9999');
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) fail('is not a calendar date');
  if (hour > 23 || minute > 59 || second > 59) fail('has a time of day out of range');
  if (Math.abs(offsetMinutes) > 14 * 60) fail('has a UTC offset beyond 14 hours');
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  date.setUTCHours(hour, minute, second, millisecond);
  return checkRange(date.getTime() - offsetMinutes * 60_000, fail);
}

/** .NET AddMonths: the day is clipped to the end of a shorter month (Jan 31 + 1 month = Feb 28/29). */
export function addMonths(ms: number, months: number, fail: Fail): number {
  const date = new Date(checkRange(ms, fail));
  const total = date.getUTCFullYear() * 12 + date.getUTCMonth() + months;
  const year = Math.floor(total / 12);
  const month = total - year * 12 + 1;
  if (year < 1 || year > 9999) fail('falls outside years 1 to 9999');
  const clipped = new Date(date.getTime());
  clipped.setUTCFullYear(year, month - 1, Math.min(date.getUTCDate(), daysInMonth(year, month)));
  return clipped.getTime();
}
