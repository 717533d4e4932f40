import { Body, Controller, Get, HttpCode, Param, Post, Put } from '@nestjs/common';
import { mappingConfigSchema, mappingConfigViewSchema, mappingValidationSchema, savedMappingConfigSchema, type MappingConfigView } from '@roster/contracts';
import { ReaderRoute } from '@roster/platform';
import { ApiDoc } from '../docs/api-doc.decorator';
import { PipelineClient, PipelineRefusal } from '../pipeline/pipeline-client';
import { KnownJobPipe } from '../provisioning-jobs/known-job.pipe';
import { defaultMappingView } from './default-mapping';

/**
 * A job's mapping configuration (Entra's attribute mappings, scoping filters, target object actions,
 * deletion threshold, licenses). The mapper owns it, validates it (every problem named, target
 * attributes checked against the job's target profile) and re-evaluates every user when it changes.
 */
@Controller('jobs/:id/mapping')
export class MappingController {
  constructor(private readonly pipeline: PipelineClient) {}

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
}
