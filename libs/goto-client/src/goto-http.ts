import { Agent, request as sendOverPool, type Dispatcher } from 'undici';
import { GotoApiError, errorKindOf, unexpectedAnswer } from './goto-api-error';
import type { GotoApi } from './goto-endpoints';
import { parseJsonLosslessly } from './lossless-json';
import { refusedAttributeOf } from './refused-attribute';
import type { SecretRedactor } from './secret-redactor';

/** One request to GoTo as it ended, for metrics and traces: `status` is null when no answer came. */
export interface HttpExchange {
  api: GotoApi;
  operation: string;
  method: string;
  status: number | null;
  /** When the request left (ms since the epoch), after the rate limiter let it go. */
  startedAt: number;
  durationMs: number;
}

export interface HttpHooks {
  /** How long GoTo may take to start answering, and to send each part of its answer. */
  timeoutMs: number;
  /** The connection pool; by default one keep-alive pool per GoTo origin, shared in the process. */
  dispatcher?: Dispatcher;
  beforeRequest?: (api: GotoApi) => Promise<void>;
  onRateLimited?: (retryAfterMs: number, api: GotoApi) => void;
  onExchange?: (exchange: HttpExchange) => void;
}

export interface HttpRequest {
  api: GotoApi;
  operation: string;
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  url: string;
  headers?: Record<string, string>;
  /** Sent as JSON with `contentType` (default application/json); a URLSearchParams is sent as a form. */
  body?: unknown;
  contentType?: string;
}

export interface HttpResponse {
  status: number;
  body: unknown;
}

/** When GoTo sends 429 without Retry-After, callers should still wait about this long (reference §5). */
const DEFAULT_RATE_LIMIT_BACKOFF_MS = 1_000;
/** undici's codes for a server that did not answer in time (its headers, or the next part of its body). */
const TIMEOUT_CODES = new Set(['UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT']);

let sharedAgent: Agent | undefined;

/**
 * Kept-alive connections to GoTo for every client in the process, as fetch's global dispatcher
 * would keep them, but without what fetch costs per request (WHATWG streams, an AbortSignal and its
 * timer): undici's own request API with socket timeouts takes a third of the CPU. Idle sockets do
 * not keep the process alive.
 */
function defaultDispatcher(): Dispatcher {
  return (sharedAgent ??= new Agent({ keepAliveTimeout: 4_000, connect: { timeout: 10_000 } }));
}

/** One HTTP exchange with GoTo: no retries here, every failure becomes a classified GotoApiError. */
export class GotoHttp {
  constructor(
    private readonly hooks: HttpHooks,
    private readonly redactor: SecretRedactor,
  ) {}

  /**
   * `bearer` is asked for the access token only once the rate limiter has let the request go: a token
   * taken before a long wait for a slot can expire on the way.
   */
  async send(request: HttpRequest, bearer?: () => Promise<string>): Promise<HttpResponse> {
    await this.hooks.beforeRequest?.(request.api);
    const authorization: Record<string, string> = bearer ? { authorization: `Bearer ${await bearer()}` } : {};
    let status: number;
    /** For the exchange's report, which is made whether GoTo answered or not. */
    let answered: number | null = null;
    let retryAfter: string | string[] | undefined;
    let text: string;
    const startedAt = Date.now();
    const started = performance.now();
    try {
      const response = await sendOverPool(request.url, {
        dispatcher: this.hooks.dispatcher ?? defaultDispatcher(),
        method: request.method,
        headers: { accept: 'application/json', ...bodyHeaders(request), ...request.headers, ...authorization },
        ...(request.body !== undefined ? { body: bodyText(request.body) } : {}),
        headersTimeout: this.hooks.timeoutMs,
        bodyTimeout: this.hooks.timeoutMs,
      });
      status = answered = response.statusCode;
      retryAfter = response.headers['retry-after'];
      // Read to the end even when not needed: only then does the connection go back to the pool.
      text = await response.body.text();
    } catch (error) {
      throw this.networkError(request, error);
    } finally {
      const { api, operation, method } = request;
      this.hooks.onExchange?.({ api, operation, method, status: answered, startedAt, durationMs: performance.now() - started });
    }
    const body = this.parseBody(request, status, text);
    if (status >= 200 && status < 300) return { status, body };
    throw this.httpError(request, status, Array.isArray(retryAfter) ? retryAfter[0] : retryAfter, body);
  }

  private parseBody(request: HttpRequest, status: number, text: string): unknown {
    if (text.trim() === '') return undefined;
    try {
      return parseJsonLosslessly(text);
    } catch {
      // Gateways answer 5xx with HTML; only a success that is not JSON is a broken contract.
      if (status >= 200 && status < 300) throw unexpectedAnswer(request.operation, `answered HTTP ${status} with a body that is not JSON`);
      return text;
    }
  }

  private httpError(request: HttpRequest, status: number, retryAfter: string | undefined, body: unknown): GotoApiError {
    const retryAfterMs = retryAfterMsOf(retryAfter);
    if (status === 429) this.hooks.onRateLimited?.(retryAfterMs ?? DEFAULT_RATE_LIMIT_BACKOFF_MS, request.api);
    return refusalOf(request.operation, status, body, this.redactor, retryAfterMs);
  }

  private networkError(request: HttpRequest, error: unknown): GotoApiError {
    const timedOut = TIMEOUT_CODES.has(errorFields(error).code ?? '');
    const what = timedOut ? `no answer within ${this.hooks.timeoutMs} ms` : `connection failed (${networkCauseOf(error)})`;
    return new GotoApiError({ kind: 'transient', operation: request.operation, message: `${request.operation}: ${what}` });
  }
}

/** GoTo's refusal of a request (or of one operation of a bulk request) with its status and error body, redacted. */
export function refusalOf(operation: string, status: number, body: unknown, redactor: SecretRedactor, retryAfterMs?: number): GotoApiError {
  const detail = detailOf(body);
  const attribute = status === 400 ? refusedAttributeOf(body) : undefined;
  return new GotoApiError({
    kind: errorKindOf(status),
    operation,
    status,
    message: redactor.redact(`${operation}: GoTo answered HTTP ${status}${detail ? ` (${detail})` : ''}`),
    body: redactor.redact(body),
    ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
    ...(attribute !== undefined ? { attribute } : {}),
  });
}

function bodyHeaders(request: HttpRequest): Record<string, string> {
  if (request.body === undefined) return {};
  const contentType = request.body instanceof URLSearchParams ? 'application/x-www-form-urlencoded' : 'application/json';
  return { 'content-type': request.contentType ?? contentType };
}

function bodyText(body: unknown): string {
  return body instanceof URLSearchParams ? body.toString() : JSON.stringify(body);
}

/** The error code of a failed request (ECONNRESET, ECONNREFUSED, UND_ERR_SOCKET, ...), never its request details. */
function networkCauseOf(error: unknown): string {
  const { name, code, cause } = errorFields(error);
  return code ?? errorFields(cause).code ?? name ?? 'unknown error';
}

/**
 * Reads error fields by shape, not by `instanceof`: a network error may come from another realm
 * (a test runner's VM context), where `instanceof Error` is false.
 */
function errorFields(error: unknown): { name?: string; code?: string; cause?: unknown } {
  if (typeof error !== 'object' || error === null) return {};
  const { name, code, cause } = error as Record<string, unknown>;
  return {
    ...(typeof name === 'string' ? { name } : {}),
    ...(typeof code === 'string' ? { code } : {}),
    cause,
  };
}

/** A short human-readable reason from a SCIM, OAuth or Admin error body. */
function detailOf(body: unknown): string | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const record = body as Record<string, unknown>;
  const detail = record['detail'] ?? record['error_description'] ?? record['description'] ?? record['message'] ?? record['error'];
  return typeof detail === 'string' ? detail.slice(0, 300) : undefined;
}

/** Retry-After is delta-seconds or an HTTP date. */
function retryAfterMsOf(header: string | undefined): number | undefined {
  if (header === undefined) return undefined;
  if (/^\d+$/.test(header.trim())) return Number(header.trim()) * 1000;
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}
