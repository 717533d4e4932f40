import type { z } from 'zod';

/**
 * What PostgreSQL cannot store although JSON can carry it. A message that passed its contract but
 * failed at INSERT used to be retried again and again (and the connector repeated its GoTo write
 * each time), so contracts refuse it at the boundary, where it fails once with its path named.
 */
export const NUL_MESSAGE = 'contains a NUL character (U+0000), which PostgreSQL text and jsonb cannot store';

/** PostgreSQL's bigint, the type of every stored change order and cycle. */
export const MAX_BIGINT = 9_223_372_036_854_775_807n;

interface Visit {
  value: unknown;
  key?: string | number;
  parent?: Visit;
}

function pathOf(visit: Visit): (string | number)[] {
  const path: (string | number)[] = [];
  for (let at: Visit | undefined = visit; at?.key !== undefined; at = at.parent) path.push(at.key);
  return path.reverse();
}

/** The path of the first string (value or key) holding U+0000, or undefined; walks without recursion. */
export function nulPath(value: unknown): (string | number)[] | undefined {
  const pending: Visit[] = [{ value }];
  while (pending.length > 0) {
    const visit = pending.pop()!;
    const current = visit.value;
    if (typeof current === 'string') {
      if (current.includes('\u0000')) return pathOf(visit);
    } else if (Array.isArray(current)) {
      current.forEach((item, index) => pending.push({ value: item, key: index, parent: visit }));
    } else if (typeof current === 'object' && current !== null) {
      for (const [key, item] of Object.entries(current)) {
        if (key.includes('\u0000')) return pathOf({ value: item, key, parent: visit });
        pending.push({ value: item, key, parent: visit });
      }
    }
  }
  return undefined;
}

/** For a single string field: `.refine(withoutNul, NUL_MESSAGE)`. */
export const withoutNul = (text: string): boolean => !text.includes('\u0000');

/** A refinement refusing any string anywhere in the parsed value that PostgreSQL cannot store. */
export function refuseUnstorable(value: unknown, ctx: z.RefinementCtx): void {
  const path = nulPath(value);
  if (path !== undefined) ctx.addIssue({ code: 'custom', path, message: NUL_MESSAGE });
}

/** `schema` with refuseUnstorable. */
export function storable<S extends z.ZodType>(schema: S): S {
  return schema.superRefine(refuseUnstorable);
}
