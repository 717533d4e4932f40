import { Body, Controller, Inject, Logger, Post, Query, Res } from '@nestjs/common';
import { PublicRoute, SERVICE_CONFIG } from '@roster/platform';
import { timingSafeEqual } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { z } from 'zod';
import type { WatcherConfig } from '../config/watcher.config';
import { EntraWebhook } from './entra-webhook';

const notificationsSchema = z.object({
  value: z.array(
    z.looseObject({
      subscriptionId: z.string(),
      clientState: z.string().nullish(),
      lifecycleEvent: z.string().optional(),
    }),
  ),
});

/**
 * ENTRA_WEBHOOK_URL points here (the watcher's own job, see EntraWebhook): Graph's validation handshake, change notifications and lifecycle
 * notifications all arrive on this one URL. Graph cannot present the internal credential, so the
 * route is public: each notification proves itself with its clientState, and all one can cause is a
 * delta read.
 */
@PublicRoute()
@Controller('graph')
export class GraphNotificationsController {
  private readonly logger = new Logger(GraphNotificationsController.name);
  private readonly clientState: Buffer;

  constructor(
    private readonly webhook: EntraWebhook,
    @Inject(SERVICE_CONFIG) config: WatcherConfig,
  ) {
    this.clientState = Buffer.from(config.ENTRA_WEBHOOK_CLIENT_STATE ?? '');
  }

  @Post('notifications')
  receive(@Query('validationToken') validationToken: unknown, @Body() body: unknown, @Res() res: ServerResponse): void {
    if (typeof validationToken === 'string') {
      // The query parser has already URL-decoded it, which is what Graph expects back.
      res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' }).end(validationToken);
      return;
    }
    // Graph retries anything but a prompt 2xx, and a notification only triggers a delta read.
    res.writeHead(202).end();
    const parsed = notificationsSchema.safeParse(body);
    if (!parsed.success) {
      this.logger.warn('Ignored a notification POST that is not a Graph notification batch');
      return;
    }
    const trusted = parsed.data.value.filter((n) => this.trusted(n.clientState));
    if (trusted.length < parsed.data.value.length) {
      const subscriptionIds = [...new Set(parsed.data.value.filter((n) => !trusted.includes(n)).map((n) => n.subscriptionId))];
      this.logger.warn({ subscriptionIds }, 'Ignored notifications with a wrong clientState');
    }
    const target = this.webhook.target;
    for (const n of trusted) if (n.lifecycleEvent !== undefined) target?.subscriptions?.onLifecycleEvent(n.subscriptionId, n.lifecycleEvent);
    if (trusted.some((n) => n.lifecycleEvent === undefined)) target?.signal.emit();
  }

  private trusted(clientState: string | null | undefined): boolean {
    const given = Buffer.from(clientState ?? '');
    return this.clientState.length > 0 && given.length === this.clientState.length && timingSafeEqual(given, this.clientState);
  }
}
