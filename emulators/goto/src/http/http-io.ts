import type { IncomingMessage, ServerResponse } from 'node:http';
import { ApiError } from './api-error';
import type { RequestContext } from './request-context';

/** Room for a control-API seed of 100,000 listed users. */
const MAX_BODY_BYTES = 64 * 1024 * 1024;

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) throw new ApiError(413, undefined, `request body exceeds ${MAX_BODY_BYTES} bytes`);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** Everything a handler reads about a request; route params are filled in after matching. */
export async function requestContextOf(req: IncomingMessage, url: URL): Promise<RequestContext> {
  return {
    method: req.method ?? 'GET',
    path: url.pathname,
    query: url.searchParams,
    headers: req.headers,
    rawBody: await readBody(req),
    baseUrl: `http://${req.headers.host ?? 'localhost'}`,
    params: {},
  };
}

export function send(
  res: ServerResponse,
  status: number,
  body: unknown,
  contentType: string,
  headers: Record<string, string> = {},
): void {
  if (res.destroyed || res.headersSent) return;
  if (body === undefined) {
    res.writeHead(status, headers).end();
    return;
  }
  const text = JSON.stringify(body);
  res
    .writeHead(status, { ...headers, 'content-type': `${contentType}; charset=utf-8`, 'content-length': Buffer.byteLength(text) })
    .end(text);
}

/** The media type of a request, without parameters such as charset. */
export function mediaTypeOf(ctx: RequestContext): string | undefined {
  return ctx.headers['content-type']?.split(';')[0]?.trim().toLowerCase();
}

export type JsonObject = Record<string, unknown>;

export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Parses a JSON object body, refusing other media types: GoTo answers 400 to non-JSON requests. */
export function readJsonObject(ctx: RequestContext, mediaTypes: readonly string[]): JsonObject {
  const mediaType = mediaTypeOf(ctx);
  if (!mediaType || !mediaTypes.includes(mediaType)) {
    throw new ApiError(400, 'invalidSyntax', `Content-Type must be one of ${mediaTypes.join(', ')}; got '${mediaType ?? 'none'}'`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(ctx.rawBody);
  } catch {
    throw new ApiError(400, 'invalidSyntax', 'request body is not valid JSON');
  }
  if (!isJsonObject(parsed)) throw new ApiError(400, 'invalidSyntax', 'request body must be a JSON object');
  return parsed;
}

export function sleep(ms: number): Promise<void> {
  if (ms <= 0) return Promise.resolve();
  // Unref'd so a pending injected delay never keeps a test process alive after stop().
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
