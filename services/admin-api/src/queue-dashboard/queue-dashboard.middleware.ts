import { Injectable, type NestMiddleware } from '@nestjs/common';
import { Authenticator, type CredentialRequest, type HeaderSink } from '../auth/authenticator';
import { QueueDashboardQueues } from './queue-dashboard.queues';

/**
 * Bull Board is an Express router mounted beside Nest's routes, so the global guard never sees its
 * requests: this middleware asks the same Authenticator for the admin role before the router runs,
 * then brings the board's queues up to date with the jobs (each job has a command queue of its own).
 */
@Injectable()
export class QueueDashboardMiddleware implements NestMiddleware {
  constructor(
    private readonly authenticator: Authenticator,
    private readonly queues: QueueDashboardQueues,
  ) {}

  async use(request: CredentialRequest, response: HeaderSink, next: (error?: unknown) => void): Promise<void> {
    await this.authenticator.authenticate(request, response, 'admin');
    await this.queues.sync();
    next();
  }
}
