/** Errors a handler throws to say "retrying cannot help" (validation, conflicts, malformed input). */
export class PermanentError extends Error {
  override readonly name: string = 'PermanentError';
  constructor(
    message: string,
    /** `attribute`: the request attribute the target refused, when it names one. */
    readonly details: { kind: string; status?: number; body?: unknown; attribute?: string } = { kind: 'permanent' },
  ) {
    super(message);
  }
}

/**
 * PostgreSQL refused the data itself: SQLSTATE class 22 (data exception: a NUL byte, a number out of
 * range, malformed JSON) or 23 (integrity constraint violation). The same statement fails the same
 * way on every attempt, so it is not worth a retry. TypeORM copies the driver's `code` onto its
 * QueryFailedError and keeps the original as `driverError`.
 */
export function isDataError(error: unknown): boolean {
  const { code, driverError } = (error ?? {}) as { code?: unknown; driverError?: { code?: unknown } };
  const sqlState = typeof code === 'string' ? code : driverError?.code;
  return typeof sqlState === 'string' && /^2[23][0-9A-Z]{3}$/.test(sqlState);
}

const CONNECTION_STATE = /^(08[0-9A-Z]{3}|53300|57P0[123])$/;
const SOCKET = /^(ECONNREFUSED|ECONNRESET|EPIPE|ETIMEDOUT|EHOSTUNREACH)$/;
const DROPPED = /Connection terminated|timeout exceeded when trying to connect|the database system is (starting up|shutting down)/i;

/**
 * PostgreSQL could not be reached, took no more connections or dropped one (down, restarting, its
 * max_connections used up, the backend terminated): SQLSTATE class 08, 53300 or 57P01–57P03, pg's
 * own words for a dropped connection, or a
 * socket error on the database's port. Nothing is wrong with the message, so it waits for the
 * database instead of using up its attempts (and being dead-lettered, or lost when the dead-letter
 * table is down too).
 */
export function isDatabaseUnavailable(error: unknown, databasePort: number): boolean {
  const { code, driverError, message, port } = (error ?? {}) as { code?: unknown; driverError?: { code?: unknown }; message?: unknown; port?: unknown };
  const state = typeof code === 'string' ? code : driverError?.code;
  if (typeof state === 'string' && CONNECTION_STATE.test(state)) return true;
  if (typeof state === 'string' && SOCKET.test(state)) return port === databasePort;
  return typeof message === 'string' && DROPPED.test(message);
}

/**
 * "Not now" rather than "failed": the job waits `delayMs` and runs again without using up an attempt
 * (a quarantine, a rate limit, a write that may still land). `kind` says why, for the handler's hook.
 */
export class Deferral extends Error {
  override readonly name = 'Deferral';
  constructor(
    message: string,
    readonly delayMs: number,
    readonly kind: string,
  ) {
    super(message);
  }
}

/** What an error of a target says about itself: whether retrying can help, and what to log of it. */
export interface DescribedError {
  readonly permanent: boolean;
  readonly details: PermanentError['details'];
}

function isDescribed(error: unknown): error is DescribedError {
  return error instanceof Error && typeof (error as Partial<DescribedError>).permanent === 'boolean' && 'details' in error;
}

/** Retrying cannot help: the handler said so, the error says so of itself, or the database refused the data. */
export function isPermanent(error: unknown): boolean {
  return error instanceof PermanentError || (isDescribed(error) && error.permanent) || isDataError(error);
}

/** What the log and a dead-letter queue keep of an error. */
export function errorDetailsOf(error: unknown): PermanentError['details'] {
  if (error instanceof PermanentError || isDescribed(error)) return error.details;
  return { kind: 'error' };
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
