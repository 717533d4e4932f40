import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import { mapperPreviewRequestSchema, type MappingPreview } from '@roster/contracts';
import { previewMapping } from '@roster/mapping';
import { ZodValidationPipe } from '@roster/platform';
import type { z } from 'zod';
import { invalid } from '../mapping-config/invalid-mapping';
import { JobConfigService } from '../mapping-config/job-config.service';
import { JobIdPipe } from '../mapping-config/job-id.pipe';
import { MapperUserStateRepository } from './mapper-user-state.repository';

/**
 * Expression preview: the mapping in force (or a draft) evaluated for one directory user as the
 * watcher read it, with the same compiled mappings and context a decision uses. Sends nothing.
 */
@Controller('jobs/:jobId/mapping/preview')
export class MappingPreviewController {
  constructor(
    private readonly configs: JobConfigService,
    private readonly states: MapperUserStateRepository,
  ) {}

  @Post()
  @HttpCode(200)
  async preview(
    @Param('jobId', JobIdPipe) jobId: string,
    @Body(new ZodValidationPipe(mapperPreviewRequestSchema, 'preview request')) body: z.infer<typeof mapperPreviewRequestSchema>,
  ): Promise<MappingPreview> {
    let job: Awaited<ReturnType<JobConfigService['forPreview']>>;
    try {
      job = await this.configs.forPreview(jobId, body.config);
    } catch (error) {
      invalid(error);
    }
    return previewMapping(job.compiled, body.user, { provisioned: await this.states.hasAccount(jobId, body.user.id), draft: job.draft });
  }
}
