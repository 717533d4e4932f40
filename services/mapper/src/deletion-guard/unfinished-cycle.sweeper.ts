import { Inject, Injectable, Logger, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { SERVICE_CONFIG, errorMessage } from '@roster/platform';
import type { MapperConfig } from '../config/mapper.config';
import { JobConfigService } from '../mapping-config/job-config.service';
import { DeletionGuardService } from './deletion-guard.service';

/**
 * Looks for cycles that staged deletions but never finished (see DeletionGuardService.judgeUnfinished)
 * a few times per quiet period. Every replica may sweep: a cycle is judged once, under its row lock.
 */
@Injectable()
export class UnfinishedCycleSweeper implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(UnfinishedCycleSweeper.name);
  private timer: NodeJS.Timeout | null = null;
  private sweeping: Promise<void> | null = null;

  constructor(
    private readonly guard: DeletionGuardService,
    private readonly configs: JobConfigService,
    @Inject(SERVICE_CONFIG) private readonly config: MapperConfig,
  ) {}

  onApplicationBootstrap(): void {
    const quietMs = this.config.UNFINISHED_CYCLE_TIMEOUT_MS;
    this.timer = setInterval(() => (this.sweeping ??= this.sweep(quietMs).finally(() => (this.sweeping = null))), Math.min(60_000, quietMs / 4));
    this.timer.unref();
  }

  /** Before any module shuts down, so that no sweep starts on a closing database. */
  async beforeApplicationShutdown(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.sweeping;
  }

  private async sweep(quietMs: number): Promise<void> {
    try {
      const judged = await this.guard.judgeUnfinished(quietMs, async (jobId) => (await this.configs.current(jobId)).compiled.config.deletionThreshold);
      if (judged > 0) this.logger.warn({ cycles: judged, quietMs }, 'judged cycles that staged deletions but never finished');
    } catch (error) {
      this.logger.error({ err: errorMessage(error) }, 'sweep of unfinished cycles failed; the next one retries');
    }
  }
}
