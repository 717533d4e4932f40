import { Controller, Get, HttpCode, Inject, Post } from '@nestjs/common';
import { SERVICE_CONFIG } from '@roster/platform';
import type { WatcherConfig } from '../config/watcher.config';
import { DirectorySyncService } from './directory-sync.service';
import { WatchStateRepository } from './watch-state.repository';

@Controller('sync')
export class SyncStatusController {
  constructor(
    private readonly sync: DirectorySyncService,
    private readonly state: WatchStateRepository,
    @Inject(SERVICE_CONFIG) private readonly config: WatcherConfig,
  ) {}

  /** Progress of the current cycle and the saved position, like Entra's "Synchronization Details". */
  @Get('status')
  async status() {
    const saved = await this.state.cursor(this.config.PROVISIONING_JOB_ID);
    return {
      provisioningJobId: this.config.PROVISIONING_JOB_ID,
      source: this.config.DIRECTORY_SOURCE,
      ...this.sync.progress,
      savedCycle: saved.cycle,
      initialCycleCompletedAt: saved.initialCompletedAt,
      lastReconciledAt: saved.lastReconciledAt,
    };
  }

  /** Restart (the admin API's `restart`): saved position forgotten, every user restated in a fresh initial cycle. */
  @Post('restart')
  @HttpCode(202)
  async restart() {
    await this.sync.restart();
    return { provisioningJobId: this.config.PROVISIONING_JOB_ID, restarted: true };
  }
}
