import { Injectable, type NestMiddleware } from '@nestjs/common';
import { Authenticator, type CredentialRequest, type HeaderSink } from '../auth/authenticator';

/**
 * Bull Board is an Express router mounted beside Nest's routes, so the global guard never sees its
 * requests: this middleware asks the same Authenticator for the admin role before the router runs.
 */
@Injectable()
export class QueueDashboardAuthMiddleware implements NestMiddleware {
  constructor(private readonly authenticator: Authenticator) {}

  async use(request: CredentialRequest, response: HeaderSink, next: (error?: unknown) => void): Promise<void> {
    await this.authenticator.authenticate(request, response, 'admin');
    next();
  }
}
