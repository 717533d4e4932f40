/**
 * What a caller should do about a failure:
 * - `transient`: try again later (throttling, outages, timeouts, network);
 * - `permanent`: this request will not succeed as sent (bad query, missing object);
 * - `fatal`: the client cannot work until someone fixes configuration (credentials, consent);
 * - `resync-required`: the delta cursor is gone; drop it and start a full round.
 */
export type GraphErrorKind = 'transient' | 'permanent' | 'fatal' | 'resync-required';

export interface GraphApiErrorInit {
  message: string;
  /** HTTP status; 0 when no response arrived. */
  status: number;
  code: string;
  kind: GraphErrorKind;
  retryAfterMs?: number;
  requestId?: string;
  cause?: unknown;
}

/** A failed Graph or token call. Messages name the method, path and Graph's code, never credentials. */
export class GraphApiError extends Error {
  override readonly name = 'GraphApiError';
  readonly status: number;
  readonly code: string;
  readonly kind: GraphErrorKind;
  readonly retryAfterMs?: number;
  readonly requestId?: string;

  constructor({ message, status, code, kind, retryAfterMs, requestId, cause }: GraphApiErrorInit) {
    super(message, cause === undefined ? undefined : { cause });
    this.status = status;
    this.code = code;
    this.kind = kind;
    this.retryAfterMs = retryAfterMs;
    this.requestId = requestId;
  }
}

const RESYNC_CODES = new Set(['syncStateNotFound', 'resyncRequired']);

/** Graph's guidance: resync on any 410 or on a sync-state code with any 4xx. */
export function classifyGraphError(status: number, code: string): GraphErrorKind {
  if (status === 410 || (status >= 400 && status < 500 && RESYNC_CODES.has(code))) return 'resync-required';
  if (status === 0 || status === 408 || status === 429 || (status >= 500 && status !== 501)) return 'transient';
  if (status === 401 || status === 403) return 'fatal';
  return 'permanent';
}

/** `Retry-After` as delay-seconds or an HTTP date, in milliseconds. */
export function parseRetryAfter(header: string | null, now = Date.now()): number | undefined {
  if (header === null || header.trim() === '') return undefined;
  if (/^\d+$/.test(header.trim())) return Number(header.trim()) * 1000;
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** A request that got no HTTP answer at all; timeouts and network failures are worth retrying. */
export function noResponseError(what: string, cause: unknown): GraphApiError {
  const timedOut = cause instanceof Error && (cause.name === 'TimeoutError' || cause.name === 'AbortError');
  const detail =
    cause instanceof Error ? `${cause.message}${cause.cause instanceof Error ? ` (${cause.cause.message})` : ''}` : String(cause);
  return new GraphApiError({
    message: `${what} failed: ${detail}`,
    status: 0,
    code: timedOut ? 'timeout' : 'networkError',
    kind: 'transient',
    cause,
  });
}

/** A JSON body, or an empty object when the body is not JSON (an HTML error page from a proxy). */
export function parseJsonObject(text: string): Record<string, unknown> {
  try {
    const parsed: unknown = JSON.parse(text);
    return typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}
