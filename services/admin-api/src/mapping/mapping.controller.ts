import { Body, Controller, Get, HttpCode, Param, Post, Put } from '@nestjs/common';
import {
  mappingConfigSchema,
  mappingConfigViewSchema,
  mappingPreviewRequestSchema,
  mappingPreviewSchema,
  mappingValidationSchema,
  savedMappingConfigSchema,
  watchedDirectoryUserSchema,
  type MappingConfigView,
  type MappingPreview,
  type MappingPreviewRequest,
} from '@roster/contracts';
import { ReaderRoute, ZodValidationPipe } from '@roster/platform';
import { ApiDoc } from '../docs/api-doc.decorator';
import { JobServices } from '../pipeline/job-services';
import { PipelineClient, PipelineRefusal, parseAnswer } from '../pipeline/pipeline-client';
import { KnownJobPipe } from '../provisioning-jobs/known-job.pipe';
import { defaultMappingView } from './default-mapping';

/**
 * A job's mapping configuration (Entra's attribute mappings, scoping filters, target object actions,
 * deletion threshold, licenses). The mapper owns it, validates it (every problem named, target
 * attributes checked against the job's target profile) and re-evaluates every user when it changes.
 */
@Controller('jobs/:id/mapping')
export class MappingController {
  constructor(
    private readonly pipeline: PipelineClient,
    private readonly services: JobServices,
  ) {}

  @Get()
  @ReaderRoute()
  @ApiDoc({ summary: 'The mapping configuration in force (version 0: the default a job starts with, not saved yet)', response: mappingConfigViewSchema })
  async get(@Param('id', KnownJobPipe) id: string): Promise<MappingConfigView> {
    const answer = await this.pipeline.call<MappingConfigView>('mapper', 'GET', `/jobs/${id}/mapping`);
    if (answer.status === 404) return defaultMappingView();
    if (answer.status >= 400) throw new PipelineRefusal(answer, 'mapper');
    return answer.body;
  }

  @Put()
  @ApiDoc({
    summary: 'Save a new version of the mapping configuration; every user is re-evaluated under it (a 400 names every problem)',
    body: mappingConfigSchema,
    response: savedMappingConfigSchema,
  })
  save(@Param('id', KnownJobPipe) id: string, @Body() body: unknown) {
    return this.pipeline.send('mapper', 'PUT', `/jobs/${id}/mapping`, { body });
  }

  @Post('validate')
  @HttpCode(200)
  @ApiDoc({ summary: 'Check a mapping configuration as saving would, without saving it', body: mappingConfigSchema, response: mappingValidationSchema })
  validate(@Param('id', KnownJobPipe) id: string, @Body() body: unknown) {
    return this.pipeline.send('mapper', 'POST', `/jobs/${id}/mapping/validate`, { body });
  }

  /**
   * Expression preview: the watcher reads the user from the job's directory now, the mapper evaluates
   * the mapping in force (or the draft given) for it as a decision would. Nothing is saved or sent;
   * values that went through Redact() show as "[Redact]", so readers may call it.
   */
  @Post('preview')
  @HttpCode(200)
  @ReaderRoute()
  @ApiDoc({
    summary: "Evaluate the mapping in force, or a draft, for one directory user: each target attribute's value, or its error with the position",
    body: mappingPreviewRequestSchema,
    response: mappingPreviewSchema,
  })
  async preview(
    @Param('id', KnownJobPipe) id: string,
    @Body(new ZodValidationPipe(mappingPreviewRequestSchema, 'preview request')) body: MappingPreviewRequest,
  ): Promise<MappingPreview> {
    await this.services.watcher(id);
    const user = parseAnswer('watcher', watchedDirectoryUserSchema, await this.pipeline.send('watcher', 'GET', `/sync/users/${encodeURIComponent(body.userId)}`, { query: { jobId: id } }));
    const preview = await this.pipeline.send('mapper', 'POST', `/jobs/${id}/mapping/preview`, { body: { user, config: body.config } });
    return parseAnswer('mapper', mappingPreviewSchema, preview);
  }
}
