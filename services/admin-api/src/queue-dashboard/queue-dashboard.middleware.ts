import { Injectable, type NestMiddleware } from '@nestjs/common';
import { Authenticator, type CredentialRequest, type HeaderSink } from '../auth/authenticator';
import { setLinkBasePath } from './link-base-path';
import { QUEUE_DASHBOARD_ROUTE, QueueDashboardLinks } from './queue-dashboard-links';
import { QueueDashboardQueues } from './queue-dashboard.queues';

/** A request through a link, relative to the board's mount: `/s/<token>` and the board's own path. */
const LINK_PATH = /^\/s\/([^/?#]+)(.*)$/s;

/**
 * Bull Board is an Express router mounted beside Nest's routes, so the global guard never sees its
 * requests: this middleware asks the same Authenticator for the admin role before the router runs
 * (or, under `/queues/s/<token>`, checks the link's token and hands the board its own path), then
 * brings the board's queues up to date with the jobs (each job has a command queue of its own).
 */
@Injectable()
export class QueueDashboardMiddleware implements NestMiddleware {
  constructor(
    private readonly authenticator: Authenticator,
    private readonly links: QueueDashboardLinks,
    private readonly queues: QueueDashboardQueues,
  ) {}

  async use(request: CredentialRequest & { url: string }, response: HeaderSink, next: (error?: unknown) => void): Promise<void> {
    const link = LINK_PATH.exec(request.url);
    if (link) {
      const [, token, rest] = link as unknown as [string, string, string];
      this.links.verify(token);
      setLinkBasePath(request, `${QUEUE_DASHBOARD_ROUTE}/s/${token}/`);
      // Express puts the mount path back in front when this middleware calls next: the board sees its own path.
      request.url = rest.startsWith('/') ? rest : `/${rest}`;
    } else {
      await this.authenticator.authenticate(request, response, 'admin');
    }
    await this.queues.sync();
    next();
  }
}
