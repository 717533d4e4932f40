import type { z } from 'zod';
import { badRequest, type GraphHttpError } from './graph-errors';

/** Parses a request body or admin input, turning schema issues into one readable 400. */
export function parseInput<S extends z.ZodType>(
  schema: S,
  input: unknown,
  toError: (message: string) => GraphHttpError = badRequest,
): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  throw toError(result.error.issues.map((issue) => `${issue.path.join('.') || 'body'}: ${issue.message}`).join('; '));
}
