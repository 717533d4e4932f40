import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { SERVICE_CONFIG, errorMessage } from '@roster/platform';
import type { AdminApiConfig } from '../config/admin-api.config';
import { NotificationDigests } from './notification-digests';

/** Runs the digests every NOTIFICATION_CHECK_MS, one round at a time. */
@Injectable()
export class NotificationDigestScheduler implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(NotificationDigestScheduler.name);
  private timer: NodeJS.Timeout | undefined;
  private round: Promise<void> | undefined;

  constructor(
    private readonly digests: NotificationDigests,
    @Inject(SERVICE_CONFIG) private readonly config: AdminApiConfig,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => {
      this.round ??= this.digests
        .runOnce()
        .catch((error: unknown) => this.logger.error({ err: errorMessage(error) }, 'notification digest round failed'))
        .finally(() => (this.round = undefined));
    }, this.config.NOTIFICATION_CHECK_MS);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.round;
  }
}
