import { Injectable, type NestMiddleware } from '@nestjs/common';
import { storage } from 'nestjs-pino/storage';

/** What this middleware reads of Express's response (its types are not installed). */
interface OutgoingResponse {
  once(event: 'close', listener: () => void): unknown;
}

let inFlight = 0;

/**
 * nestjs-pino binds each HTTP request's logger with an AsyncLocalStorage, and node keeps such a
 * storage's hook on every promise once it has been used: after the first health probe, every
 * promise of every queue job paid for it. The storage is switched off when the last request in
 * flight ends, and nestjs-pino switches it on again with the next one.
 */
@Injectable()
export class RequestLogScopeMiddleware implements NestMiddleware {
  use(_request: unknown, response: OutgoingResponse, next: () => void): void {
    inFlight += 1;
    response.once('close', () => {
      inFlight -= 1;
      if (inFlight === 0) storage.disable();
    });
    next();
  }
}
