import { Controller, Get, HttpCode, Post, Query, ServiceUnavailableException } from '@nestjs/common';
import { watcherJobQuerySchema } from '@roster/contracts';
import { ZodValidationPipe } from '@roster/platform';
import type { z } from 'zod';
import { initialProgress } from './sync-progress';
import { WatchStateRepository } from './watch-state.repository';
import { WatchedJobs } from './watched-jobs';

type JobQuery = z.infer<typeof watcherJobQuerySchema>;
const jobQuery = new ZodValidationPipe(watcherJobQuerySchema, 'job query');

@Controller('sync')
export class SyncStatusController {
  constructor(
    private readonly jobs: WatchedJobs,
    private readonly state: WatchStateRepository,
  ) {}

  /** Progress of the job's current cycle and its saved position, like Entra's "Synchronization Details". */
  @Get('status')
  async status(@Query(jobQuery) query: JobQuery) {
    const { job, sync, error } = await this.jobs.get(query.jobId);
    const saved = await this.state.cursor(job.id);
    const progress = sync?.progress ?? { ...initialProgress(), phase: 'error' as const, lastError: error ?? null };
    return {
      provisioningJobId: job.id,
      source: job.settings.source.kind,
      revision: job.revision,
      ...progress,
      savedCycle: saved.cycle,
      initialCycleCompletedAt: saved.initialCompletedAt,
      lastReconciledAt: saved.lastReconciledAt,
    };
  }

  /** Restart (the admin API's `restart`): saved position forgotten, every user restated in a fresh initial cycle. */
  @Post('restart')
  @HttpCode(202)
  async restart(@Query(jobQuery) query: JobQuery) {
    const { job, sync, error } = await this.jobs.get(query.jobId);
    if (!sync) throw new ServiceUnavailableException(`job ${job.id} cannot read its directory: ${error}`);
    await sync.restart();
    return { provisioningJobId: job.id, restarted: true };
  }
}
