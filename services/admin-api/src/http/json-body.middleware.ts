import { BadRequestException, Inject, Injectable, PayloadTooLargeException, UnsupportedMediaTypeException, type NestMiddleware } from '@nestjs/common';
import { SERVICE_CONFIG } from '@roster/platform';
import type { AdminApiConfig } from '../config/admin-api.config';

/** What this middleware reads of Node's request (Express's types are not installed). */
interface BodyRequest extends AsyncIterable<Buffer> {
  headers: Record<string, string | string[] | undefined>;
  body?: unknown;
  _body?: boolean;
}

const JSON_TYPE = /^application\/(?:[a-z0-9.+-]+\+)?json$/;

/**
 * V8's message for malformed JSON quotes the start of the text ("…" is not valid JSON), which may be
 * a credential: the answer keeps the reason and the position, never the text.
 */
export function malformedJsonMessage(error: unknown): string {
  const reason = (error instanceof Error ? error.message : String(error)).replace(/,? ".*" is not valid JSON$/s, '');
  return `malformed JSON body: ${reason}`;
}

/**
 * The admin API's only body parser (the application is created without Nest's): JSON or nothing.
 * A form or any other type gets a 415, so a plain HTML form on another site cannot post here; a
 * body over the limit a 413 before it is read; malformed JSON a 400 with the reason.
 */
@Injectable()
export class JsonBodyMiddleware implements NestMiddleware {
  constructor(@Inject(SERVICE_CONFIG) private readonly config: AdminApiConfig) {}

  use(request: BodyRequest, _response: unknown, next: (error?: unknown) => void): void {
    this.parse(request).then(() => next(), next);
  }

  private async parse(request: BodyRequest): Promise<void> {
    if (request._body) throw new Error('admin-api must be created with bodyParser: false (see ADMIN_API_APP_OPTIONS)');
    const length = request.headers['content-length'];
    const chunked = request.headers['transfer-encoding'] !== undefined;
    if (!chunked && (length === undefined || length === '0')) return;
    const type = String(request.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
    if (!JSON_TYPE.test(type)) {
      throw new UnsupportedMediaTypeException(`request bodies must be JSON (Content-Type: application/json), not ${type || 'a body without a type'}`);
    }
    const limit = this.config.HTTP_BODY_LIMIT_BYTES;
    const tooLarge = () => new PayloadTooLargeException(`the body is larger than the limit of ${limit} bytes (HTTP_BODY_LIMIT_BYTES)`);
    if (Number(length) > limit) throw tooLarge();
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of request) {
      size += chunk.length;
      if (size > limit) throw tooLarge();
      chunks.push(chunk);
    }
    try {
      request.body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    } catch (error) {
      throw new BadRequestException(malformedJsonMessage(error));
    }
  }
}
