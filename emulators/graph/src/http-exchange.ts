import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { badRequest, graphErrorDate, GraphHttpError } from './graph-errors';

const JSON_CONTENT_TYPE =
  'application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8';
const MAX_BODY_BYTES = 10 * 1024 * 1024;

/** One request/response pair with the Graph conventions (request ids, JSON media type, error body). */
export class Exchange {
  readonly url: URL;
  readonly requestId = randomUUID();
  readonly clientRequestId: string;
  /** Origin the caller used, so nextLinks and deltaLinks lead back to this emulator. */
  readonly baseUrl: string;
  /** The application whose token authenticated the request, for throttling and the request log. */
  appId?: string;

  constructor(
    readonly req: IncomingMessage,
    readonly res: ServerResponse,
    private readonly now: () => number,
  ) {
    this.baseUrl = `http://${req.headers.host ?? 'localhost'}`;
    this.url = new URL(req.url ?? '/', this.baseUrl);
    this.clientRequestId = this.header('client-request-id') ?? this.requestId;
  }

  get method(): string {
    return this.req.method ?? 'GET';
  }

  header(name: string): string | undefined {
    const value = this.req.headers[name];
    return Array.isArray(value) ? value[0] : value;
  }

  /** A query option, accepting Graph's camel-case spellings such as `$skipToken`. */
  query(name: string): string | null {
    for (const [key, value] of this.url.searchParams) {
      if (key.toLowerCase() === name.toLowerCase()) return value;
    }
    return null;
  }

  async text(): Promise<string> {
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of this.req as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) throw new GraphHttpError(413, 'Request_EntityTooLarge', 'Request body too large.');
      chunks.push(chunk);
    }
    return Buffer.concat(chunks).toString('utf8');
  }

  /** The JSON body; with `optional`, an empty body reads as `{}`. */
  async json({ optional = false } = {}): Promise<unknown> {
    const body = await this.text();
    if (optional && body.trim() === '') return {};
    try {
      return JSON.parse(body) as unknown;
    } catch {
      throw badRequest('Invalid JSON in request body.');
    }
  }

  send(status: number, body?: unknown, headers: Record<string, string> = {}): void {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    this.res.writeHead(status, {
      'request-id': this.requestId,
      'client-request-id': this.clientRequestId,
      ...(payload === undefined ? {} : { 'content-type': JSON_CONTENT_TYPE }),
      ...headers,
    });
    this.res.end(payload);
  }

  sendGraphError(error: GraphHttpError): void {
    this.send(
      error.status,
      {
        error: {
          code: error.code,
          message: error.message,
          innerError: {
            date: graphErrorDate(this.now()),
            'request-id': this.requestId,
            'client-request-id': this.clientRequestId,
          },
        },
      },
      { ...error.headers },
    );
  }
}
