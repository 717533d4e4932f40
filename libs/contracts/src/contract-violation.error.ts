import type { z } from 'zod';

/**
 * A message that does not match its contract. It is never retried: the same bytes would fail again.
 * The message lists every offending path so the rejection in the log says exactly what was wrong.
 */
export class ContractViolationError extends Error {
  override readonly name = 'ContractViolationError';
  constructor(
    readonly contract: string,
    readonly issues: { path: string; message: string }[],
  ) {
    super(`${contract}: ${issues.map((i) => `${i.path || '(root)'}: ${i.message}`).join('; ')}`);
  }

  static fromZod(contract: string, error: z.ZodError): ContractViolationError {
    return new ContractViolationError(
      contract,
      error.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message })),
    );
  }
}

/** Parses `input` against `schema`, throwing a ContractViolationError that names the contract. */
export function parseContract<S extends z.ZodType>(contract: string, schema: S, input: unknown): z.infer<S> {
  const result = schema.safeParse(input);
  if (!result.success) throw ContractViolationError.fromZod(contract, result.error);
  return result.data;
}

/** Each item of a batch checked on its own, so one malformed item never sinks the others. */
export function parseEach<S extends z.ZodType>(
  contract: string,
  schema: S,
  items: readonly unknown[],
): { valid: z.infer<S>[]; rejected: { index: number; error: ContractViolationError }[] } {
  const valid: z.infer<S>[] = [];
  const rejected: { index: number; error: ContractViolationError }[] = [];
  items.forEach((item, index) => {
    const result = schema.safeParse(item);
    if (result.success) valid.push(result.data);
    else rejected.push({ index, error: ContractViolationError.fromZod(`${contract} [${index}]`, result.error) });
  });
  return { valid, rejected };
}
