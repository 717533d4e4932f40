import type { Fail } from '../expression-error';
import { fromParts } from './utc-date';

const TIME = String.raw`(\d{1,2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,7}))?)?`;
const OFFSET = String.raw`(Z|[+-]\d{1,2}(?::?\d{2})?)`;
/** 2009-06-15T01:45:30-07:00, 2021-08-24, and Workday's date-with-offset form 2012-03-16-07:00. */
const ISO = new RegExp(String.raw`^(\d{4})-(\d{1,2})-(\d{1,2})(?:(?:T|\s+)${TIME})?\s*${OFFSET}?$`, 'i');
/** The invariant-culture form that CDate, DateAdd and Now print: 8/25/2021 5:41:18 PM. */
const US = new RegExp(String.raw`^(\d{1,2})/(\d{1,2})/(\d{4})(?:\s+${TIME}(?:\s*(AM|PM))?)?\s*${OFFSET}?$`, 'i');

function offsetMinutes(text: string | undefined): number {
  if (text === undefined || text.toUpperCase() === 'Z') return 0;
  const [, sign, hours, minutes] = /^([+-])(\d{1,2}):?(\d{2})?$/.exec(text)!;
  return (sign === '-' ? -1 : 1) * (Number(hours) * 60 + Number(minutes ?? 0));
}

function hour24(hour: number, meridiem: string | undefined, fail: Fail): number {
  if (meridiem === undefined) return hour;
  if (hour < 1 || hour > 12) fail('has a 12-hour clock hour outside 1 to 12');
  return (hour % 12) + (meridiem.toUpperCase() === 'PM' ? 12 : 0);
}

/**
 * What CDate accepts: ISO 8601 dates (with or without time, `T` or space, offset or Z) and the
 * invariant `M/d/yyyy h:mm:ss tt` form. Text without an offset is taken as UTC.
 */
export function parseDateTime(text: string, fail: Fail): number {
  const trimmed = text.trim();
  const iso = ISO.exec(trimmed);
  const us = iso ? null : US.exec(trimmed);
  if (!iso && !us) return fail('is not a date/time in ISO 8601 or M/d/yyyy h:mm:ss tt form');
  const [year, month, day] = iso ? [iso[1], iso[2], iso[3]] : [us![3], us![1], us![2]];
  const [hour, minute, second, fraction] = (iso ?? us)!.slice(4, 8);
  return fromParts(
    {
      year: Number(year),
      month: Number(month),
      day: Number(day),
      hour: hour24(Number(hour ?? 0), us?.[8], fail),
      minute: Number(minute ?? 0),
      second: Number(second ?? 0),
      millisecond: Number((fraction ?? '').padEnd(3, '0').slice(0, 3)),
      offsetMinutes: offsetMinutes(iso ? iso[8] : us![9]),
    },
    fail,
  );
}
