import { BadGatewayException, GatewayTimeoutException, HttpException, Inject, Injectable, Logger, ServiceUnavailableException } from '@nestjs/common';
import { INTERNAL_TOKEN_VARIABLE, SERVICE_CONFIG, errorMessage, internalAuthorization } from '@roster/platform';
import type { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { request } from 'undici';
import type { z } from 'zod';
import type { AdminApiConfig } from '../config/admin-api.config';

export type PipelineService = 'watcher' | 'mapper' | 'connector' | 'audit';

export interface PipelineAnswer<T> {
  status: number;
  body: T;
  /** Retry-After of a 429 (Test Connection), in seconds, to pass on. */
  retryAfter: string | null;
}

export interface PipelineRequest {
  body?: unknown;
  query?: Record<string, string | number | boolean | undefined>;
}

/** A service's answer checked against the contract the admin API reads it with (502 when it does not fit). */
export function parseAnswer<S extends z.ZodType>(service: PipelineService, schema: S, body: unknown): z.infer<S> {
  const parsed = schema.safeParse(body);
  if (!parsed.success) throw new BadGatewayException(`the ${service} answered what the admin API does not expect: ${parsed.error.message}`);
  return parsed.data;
}

/** The response a streamed answer is piped to: Express's (its types are not installed). */
export type StreamingResponse = Writable & {
  status(code: number): unknown;
  setHeader(name: string, value: string): void;
  headersSent: boolean;
  destroy(error?: Error): void;
};

/** The answer headers a streamed answer keeps: what the body is, and how to cache or save it. */
const STREAMED_HEADERS = ['content-type', 'content-disposition', 'cache-control', 'x-accel-buffering'];

/** What a pipeline service's error answer says, passed on to the admin API's caller. */
export class PipelineRefusal extends HttpException {
  constructor(
    readonly answer: PipelineAnswer<unknown>,
    service: PipelineService,
  ) {
    const body = typeof answer.body === 'object' && answer.body !== null ? answer.body : { message: `the ${service} refused: ${String(answer.body)}` };
    super(body as Record<string, unknown>, answer.status);
  }
}

/**
 * The admin API's one way to the pipeline services' internal routes: HTTP with the installation's
 * internal credential (ROSTER_INTERNAL_TOKEN). A call reaches one replica behind a service's
 * address, so an action runs once. What a service refuses (400 naming a field, 404, 409, 429) is
 * passed on as it is; a service that is down, slow or refuses the credential is the admin API's
 * problem (503, 504, 502), said with the service's name.
 */
@Injectable()
export class PipelineClient {
  private readonly logger = new Logger(PipelineClient.name);
  private readonly urls: Record<PipelineService, string>;

  constructor(@Inject(SERVICE_CONFIG) private readonly config: AdminApiConfig) {
    this.urls = { watcher: config.WATCHER_URL, mapper: config.MAPPER_URL, connector: config.CONNECTOR_URL, audit: config.AUDIT_URL };
  }

  /** The answer whatever its status, for callers that read a 404 or a 429 themselves. */
  async call<T>(service: PipelineService, method: string, path: string, request: PipelineRequest = {}): Promise<PipelineAnswer<T>> {
    const token = this.config[INTERNAL_TOKEN_VARIABLE];
    if (token === undefined) throw new ServiceUnavailableException(`the admin API cannot reach the pipeline services: ${INTERNAL_TOKEN_VARIABLE} is not set`);
    const url = new URL(path, this.urls[service]);
    for (const [key, value] of Object.entries(request.query ?? {})) if (value !== undefined) url.searchParams.set(key, String(value));
    let res: Response;
    try {
      res = await fetch(url, {
        method,
        headers: { ...internalAuthorization(token), ...(request.body === undefined ? {} : { 'content-type': 'application/json' }) },
        body: request.body === undefined ? undefined : JSON.stringify(request.body),
        signal: AbortSignal.timeout(this.config.PIPELINE_TIMEOUT_MS),
      });
    } catch (error) {
      if (error instanceof DOMException && error.name === 'TimeoutError') {
        throw new GatewayTimeoutException(`the ${service} did not answer ${method} ${url.pathname} within ${this.config.PIPELINE_TIMEOUT_MS} ms`);
      }
      this.logger.warn({ service, url: url.origin, err: errorMessage(error) }, 'a pipeline service is unreachable');
      throw new ServiceUnavailableException(`the ${service} is unreachable at ${url.origin}: ${errorMessage(error)}`);
    }
    const text = await res.text();
    let body: unknown = text;
    try {
      body = text === '' ? undefined : JSON.parse(text);
    } catch {
      // Not JSON: passed on as text.
    }
    if (res.status === 401) {
      throw new BadGatewayException(`the ${service} refused the admin API's internal credential: ${INTERNAL_TOKEN_VARIABLE} must be the same on every service`);
    }
    if (res.status >= 500) {
      const message = (body as { message?: unknown } | undefined)?.message;
      throw new BadGatewayException(`the ${service} failed ${method} ${url.pathname} (${res.status}${typeof message === 'string' ? `: ${message}` : ''})`);
    }
    return { status: res.status, body: body as T, retryAfter: res.headers.get('retry-after') };
  }

  /**
   * Pipes a GET answer to `res` as it arrives, whatever its status: for answers too large to buffer
   * (an export) or without an end (server-sent events). Backpressure from a slow client reaches the
   * service, and the request is aborted when the client goes away. `search` is the query string
   * (`?…` or empty); `forwarded` are headers such as the caller's host, for links in the answer.
   */
  async stream(service: PipelineService, path: string, search: string, res: StreamingResponse, forwarded: Record<string, string> = {}): Promise<void> {
    const token = this.config[INTERNAL_TOKEN_VARIABLE];
    if (token === undefined) throw new ServiceUnavailableException(`the admin API cannot reach the pipeline services: ${INTERNAL_TOKEN_VARIABLE} is not set`);
    const url = new URL(path + search, this.urls[service]);
    const gone = new AbortController();
    res.once('close', () => gone.abort());
    let answer: Awaited<ReturnType<typeof request>>;
    try {
      // Only the answer's start is timed: an export or an event stream may run for long.
      answer = await request(url, { method: 'GET', headers: { ...forwarded, ...internalAuthorization(token) }, signal: gone.signal, headersTimeout: this.config.PIPELINE_TIMEOUT_MS, bodyTimeout: 0 });
    } catch (error) {
      this.logger.warn({ service, url: url.origin, err: errorMessage(error) }, 'a pipeline service is unreachable');
      throw new ServiceUnavailableException(`the ${service} is unreachable at ${url.origin}: ${errorMessage(error)}`);
    }
    if (answer.statusCode === 401 || answer.statusCode >= 500) {
      await answer.body.dump();
      throw new BadGatewayException(`the ${service} failed GET ${url.pathname} (${answer.statusCode})`);
    }
    res.status(answer.statusCode);
    for (const name of STREAMED_HEADERS) {
      const value = answer.headers[name];
      if (typeof value === 'string') res.setHeader(name, value);
    }
    try {
      await pipeline(answer.body, res);
    } catch {
      // The client left (which aborted the request) or the service broke off: end visibly incomplete.
      res.destroy();
    }
  }

  /** The body of a successful answer; any other is passed on to the caller as the service said it. */
  async send<T>(service: PipelineService, method: string, path: string, request: PipelineRequest = {}): Promise<T> {
    const answer = await this.call<T>(service, method, path, request);
    if (answer.status >= 400) throw new PipelineRefusal(answer, service);
    return answer.body;
  }
}
