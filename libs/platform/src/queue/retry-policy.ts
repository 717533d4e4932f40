/** Errors a handler throws to say "retrying cannot help" (validation, conflicts, malformed input). */
export class PermanentError extends Error {
  override readonly name: string = 'PermanentError';
  constructor(
    message: string,
    readonly details: { kind: string; status?: number; body?: unknown } = { kind: 'permanent' },
  ) {
    super(message);
  }
}

/** A transient failure with a server-given wait (Retry-After), honoured by the backoff strategy. */
export function retryAfterOf(error: unknown): number | undefined {
  const ms = (error as { retryAfterMs?: unknown } | null)?.retryAfterMs;
  return typeof ms === 'number' && Number.isFinite(ms) && ms >= 0 ? ms : undefined;
}

export interface RetryPolicy {
  baseDelayMs: number;
  maxDelayMs: number;
}

/**
 * Exponential backoff with full jitter, never shorter than the server's Retry-After, so retries of
 * many jobs spread out instead of hitting a recovering target in lockstep.
 */
export function backoffDelay(attemptsMade: number, policy: RetryPolicy, error: unknown, random = Math.random): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, attemptsMade - 1));
  const jittered = Math.round(ceiling / 2 + random() * (ceiling / 2));
  return Math.max(jittered, retryAfterOf(error) ?? 0);
}
