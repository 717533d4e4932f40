import { Controller, Get, Param, Res } from '@nestjs/common';
import { provisioningJobIdSchema, syncProgressSchema, type SyncProgress } from '@roster/contracts';
import { ReaderRoute, ZodValidationPipe } from '@roster/platform';
import { ApiDoc } from '../docs/api-doc.decorator';
import { PipelineClient, type StreamingResponse } from '../pipeline/pipeline-client';
import { ProvisioningJobsService } from '../provisioning-jobs/provisioning-jobs.service';

const idPipe = new ZodValidationPipe(provisioningJobIdSchema, 'provisioning job id');

/** A job's sync progress, which the audit service reads from the log; the job's GoTo rate limit bounds its estimate. */
@Controller('jobs/:id/sync-progress')
@ReaderRoute()
export class SyncProgressController {
  constructor(
    private readonly pipeline: PipelineClient,
    private readonly jobs: ProvisioningJobsService,
  ) {}

  @Get()
  @ApiDoc({
    summary: 'Running and last cycle: counts per action and status, users in scope, processed, remaining, % complete, estimate, steady state',
    response: syncProgressSchema,
  })
  async get(@Param('id', idPipe) id: string): Promise<SyncProgress> {
    return this.pipeline.send<SyncProgress>('audit', 'GET', `/jobs/${id}/sync-progress`, { query: await this.limitOf(id) });
  }

  @Get('events')
  @ApiDoc({ summary: 'The same as server-sent events (text/event-stream, event "progress"), pushed when it changes' })
  async events(@Param('id', idPipe) id: string, @Res() res: StreamingResponse): Promise<void> {
    const { rateLimitPerSecond } = await this.limitOf(id);
    await this.pipeline.stream('audit', `/jobs/${id}/sync-progress/events`, `?rateLimitPerSecond=${rateLimitPerSecond}`, res);
  }

  /** The job's GoTo rate limit; a 404 for a job the admin API does not know. */
  private async limitOf(id: string): Promise<{ rateLimitPerSecond: number }> {
    return { rateLimitPerSecond: (await this.jobs.get(id)).goto.rateLimitPerSecond };
  }
}
