import { HttpException, HttpStatus, Inject, Injectable, SetMetadata } from '@nestjs/common';
import { CLOCK, type Clock, SERVICE_CONFIG } from '@roster/platform';
import type { AdminApiConfig } from '../config/admin-api.config';
import type { HeaderSink } from './authenticator';
import type { Principal } from './principal';
import { SlidingWindowLimiter } from './sliding-window-limiter';

export const EXPENSIVE_ACTION = 'roster:expensive-action';

/**
 * Marks a route whose every call costs a call elsewhere (Test Connection: GoTo's and Graph's token
 * endpoints; a test mail: the mail server). Each caller may start EXPENSIVE_ACTION_LIMIT of the
 * named action per window; more get a 429 with Retry-After.
 */
export const ExpensiveAction = (name: string): MethodDecorator => SetMetadata(EXPENSIVE_ACTION, name);

/** Counts per caller (key or token subject), not per address: admins behind one proxy do not slow each other down. */
@Injectable()
export class ExpensiveActionLimiter {
  private readonly limiter: SlidingWindowLimiter;

  constructor(@Inject(SERVICE_CONFIG) config: AdminApiConfig, @Inject(CLOCK) clock: Clock) {
    this.limiter = new SlidingWindowLimiter({ limit: config.EXPENSIVE_ACTION_LIMIT, windowMs: config.EXPENSIVE_ACTION_WINDOW_MS }, clock);
  }

  /** Counts the call, or throws a 429 when the caller has used up the action's allowance. */
  admit(principal: Principal, action: string, response: HeaderSink): void {
    const key = `${principal.kind}:${principal.id}:${action}`;
    const retryAfterMs = this.limiter.retryAfterMs(key);
    if (retryAfterMs > 0) {
      response.setHeader('Retry-After', String(Math.ceil(retryAfterMs / 1000)));
      throw new HttpException(`too many ${action} calls; try again in ${Math.ceil(retryAfterMs / 1000)} s`, HttpStatus.TOO_MANY_REQUESTS);
    }
    this.limiter.record(key);
  }
}
