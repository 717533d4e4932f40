import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { CLOCK, type Clock, SERVICE_CONFIG, errorMessage } from '@roster/platform';
import type { AuditConfig } from '../config/audit.config';
import { LogPartitions } from '../partitions/log-partitions.service';

/**
 * Applies the provisioning log's retention at start and every LOG_RETENTION_CHECK_MS: days past
 * LOG_RETENTION_DAYS are dropped whole, and the coming days' partitions are made before they are needed.
 */
@Injectable()
export class LogRetention implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(LogRetention.name);
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> = Promise.resolve();

  constructor(
    private readonly partitions: LogPartitions,
    @Inject(SERVICE_CONFIG) private readonly config: AuditConfig,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  onApplicationBootstrap(): void {
    const tick = () => {
      this.running = this.running.then(async () => void (await this.apply())).catch((error: unknown) => {
        this.logger.error({ err: errorMessage(error) }, 'provisioning-log retention failed; the next check retries it');
      });
    };
    tick();
    this.timer = setInterval(tick, this.config.LOG_RETENTION_CHECK_MS);
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.running;
  }

  /** One pass at the clock's time: the days dropped. */
  async apply(): Promise<string[]> {
    const now = new Date(this.clock());
    await this.partitions.ensureAhead(now);
    return this.partitions.dropExpired(now, this.config.LOG_RETENTION_DAYS);
  }
}
