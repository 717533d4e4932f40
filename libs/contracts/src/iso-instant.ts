import { z } from 'zod';

// Date, then optionally time (seconds and fraction optional) and a zone: Z, ±HH, ±HHMM or ±HH:MM.
// A space stands for '+': an unencoded '+' in a query string arrives decoded as one.
const INSTANT = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+\- ](\d{2})(?::?(\d{2}))?))?$/i;

/**
 * A query bound in ISO 8601: a date and time with `Z` or an offset (`2026-12-01T10:00:00+01:00`), or
 * a plain date (`2026-12-01`, a whole day in UTC: its start for a lower bound, its last millisecond for
 * an upper one). Parsed to the UTC instant as `toISOString()` writes it, so bounds compare as text.
 */
export function isoInstantSchema(bound: 'from' | 'to') {
  return z.string().transform((text, ctx) => {
    const m = INSTANT.exec(text);
    const [year, month, day] = m === null ? [] : [Number(m[1]), Number(m[2]), Number(m[3])];
    const date = m === null ? undefined : new Date(Date.UTC(year!, month! - 1, day!));
    if (m === null || date!.getUTCFullYear() !== year || date!.getUTCMonth() !== month! - 1 || date!.getUTCDate() !== day) {
      ctx.addIssue({ code: 'custom', message: 'an ISO 8601 date-time with Z or an offset (2026-12-01T10:00:00+01:00), or a date (2026-12-01)' });
      return z.NEVER;
    }
    if (m[4] === undefined) return new Date(date!.getTime() + (bound === 'to' ? 86_400_000 - 1 : 0)).toISOString();
    const [hour, minute, second] = [Number(m[4]), Number(m[5]), Number(m[6] ?? 0)];
    const [offsetHours, offsetMinutes] = [Number(m[9] ?? 0), Number(m[10] ?? 0)];
    if (hour > 23 || minute > 59 || second > 59 || offsetHours > 23 || offsetMinutes > 59) {
      ctx.addIssue({ code: 'custom', message: 'the time or offset is out of range' });
      return z.NEVER;
    }
    const millis = Number((m[7] ?? '').padEnd(3, '0').slice(0, 3));
    const offset = (m[8]!.startsWith('-') ? -1 : 1) * (offsetHours * 60 + offsetMinutes); // 0 for Z
    return new Date(date!.getTime() + ((hour * 60 + minute - offset) * 60 + second) * 1000 + millis).toISOString();
  });
}
