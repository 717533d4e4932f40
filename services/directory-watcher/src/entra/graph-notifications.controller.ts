import { Body, Controller, Inject, Logger, Param, Post, Query, Res } from '@nestjs/common';
import { provisioningJobIdSchema } from '@roster/contracts';
import { PublicRoute, SERVICE_CONFIG } from '@roster/platform';
import { timingSafeEqual } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { z } from 'zod';
import type { WatcherConfig } from '../config/watcher.config';
import { webhookClientState } from './entra-settings';
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
 * ENTRA_WEBHOOK_URL points here: Graph's validation handshake, change notifications and lifecycle
 * notifications of the watcher's own job arrive on it, and those of every other Entra job on it
 * followed by the job's id (see entraWebhookOf). Graph cannot present the internal credential, so
 * the route is public: each notification proves itself with its job's clientState, and all one can
 * cause is a delta read of that job.
 */
@PublicRoute()
@Controller('graph')
export class GraphNotificationsController {
  private readonly logger = new Logger(GraphNotificationsController.name);

  constructor(
    private readonly webhook: EntraWebhook,
    @Inject(SERVICE_CONFIG) private readonly config: WatcherConfig,
  ) {}

  @Post('notifications')
  receive(@Query('validationToken') validationToken: unknown, @Body() body: unknown, @Res() res: ServerResponse): void {
    this.handle(this.config.PROVISIONING_JOB_ID, validationToken, body, res);
  }

  @Post('notifications/:jobId')
  receiveForJob(@Param('jobId') jobId: string, @Query('validationToken') validationToken: unknown, @Body() body: unknown, @Res() res: ServerResponse): void {
    this.handle(jobId, validationToken, body, res);
  }

  private handle(jobId: string, validationToken: unknown, body: unknown, res: ServerResponse): void {
    if (typeof validationToken === 'string') {
      // The query parser has already URL-decoded it, which is what Graph expects back.
      res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' }).end(validationToken);
      return;
    }
    // Graph retries anything but a prompt 2xx, and a notification only triggers a delta read.
    res.writeHead(202).end();
    const parsed = notificationsSchema.safeParse(body);
    if (!parsed.success || !provisioningJobIdSchema.safeParse(jobId).success) {
      this.logger.warn('Ignored a notification POST that is not a Graph notification batch for a job');
      return;
    }
    const expected = Buffer.from(webhookClientState(jobId, this.config));
    const trusted = parsed.data.value.filter((n) => carries(expected, n.clientState));
    if (trusted.length < parsed.data.value.length) {
      const subscriptionIds = [...new Set(parsed.data.value.filter((n) => !trusted.includes(n)).map((n) => n.subscriptionId))];
      this.logger.warn({ provisioningJobId: jobId, subscriptionIds }, 'Ignored notifications with a wrong clientState');
    }
    const target = this.webhook.get(jobId);
    for (const n of trusted) if (n.lifecycleEvent !== undefined) target?.subscriptions?.onLifecycleEvent(n.subscriptionId, n.lifecycleEvent);
    if (trusted.some((n) => n.lifecycleEvent === undefined)) target?.signal.emit();
  }
}

function carries(expected: Buffer, clientState: string | null | undefined): boolean {
  const given = Buffer.from(clientState ?? '');
  return expected.length > 0 && given.length === expected.length && timingSafeEqual(given, expected);
}
