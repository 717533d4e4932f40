import { BadRequestException, Injectable, type NestMiddleware } from '@nestjs/common';
import { NUL_MESSAGE, nulPath } from '@roster/contracts';

/** What this middleware reads of Express's request (its types are not installed). */
export interface IncomingRequest {
  originalUrl: string;
  query?: unknown;
  body?: unknown;
}

/** The decoded path, or the raw one when its escapes are malformed (the router answers those itself). */
function decodedPath(url: string): string {
  const path = url.split('?', 1)[0]!;
  try {
    return decodeURIComponent(path);
  } catch {
    return path;
  }
}

/** Where in the request a NUL character is: the part (`path`, `query`, `body`) and the field within it. */
export function nulLocation(request: IncomingRequest): { part: 'path' | 'query' | 'body'; field: string } | undefined {
  if (decodedPath(request.originalUrl).includes('\u0000')) return { part: 'path', field: '(root)' };
  for (const [part, value] of [['query', request.query], ['body', request.body]] as const) {
    const path = nulPath(value);
    if (path !== undefined) return { part, field: path.map(String).join('.') || '(root)' };
  }
  return undefined;
}

/**
 * Refuses a request holding U+0000 anywhere (path, query, JSON body) with a 400 before any handler
 * runs: PostgreSQL cannot store or even compare such text, so it used to surface as a 500 from
 * whichever query met it first. One middleware for every endpoint of every service.
 */
@Injectable()
export class RejectNulMiddleware implements NestMiddleware {
  use(request: IncomingRequest, _response: unknown, next: () => void): void {
    const where = nulLocation(request);
    if (where !== undefined) {
      // The same body as a failed contract check (ZodValidationPipe), so clients read one shape of 400.
      const named = where.part === 'path' ? 'path' : `${where.part}.${where.field}`;
      throw new BadRequestException({
        statusCode: 400,
        error: 'Bad Request',
        message: `${named} ${NUL_MESSAGE}`,
        issues: [{ path: where.field, message: NUL_MESSAGE }],
      });
    }
    next();
  }
}
