import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put } from '@nestjs/common';
import {
  createProvisioningJobSchema,
  provisioningJobIdSchema,
  provisioningJobSettingsSchema,
  provisioningJobViewSchema,
  type CreateProvisioningJob,
  type ProvisioningJobSettings,
} from '@roster/contracts';
import { ReaderRoute, ZodValidationPipe } from '@roster/platform';
import { ApiDoc } from '../docs/api-doc.decorator';
import { ProvisioningJobsService } from './provisioning-jobs.service';

const idPipe = new ZodValidationPipe(provisioningJobIdSchema, 'provisioning job id');

@Controller('jobs')
export class ProvisioningJobsController {
  constructor(private readonly jobs: ProvisioningJobsService) {}

  @Get()
  @ReaderRoute()
  @ApiDoc({ summary: 'List provisioning jobs (credentials are never returned, only whether each is set)', response: provisioningJobViewSchema.array() })
  list() {
    return this.jobs.list();
  }

  @Get(':id')
  @ReaderRoute()
  @ApiDoc({ summary: 'One provisioning job', response: provisioningJobViewSchema })
  get(@Param('id', idPipe) id: string) {
    return this.jobs.get(id);
  }

  @Post()
  @ApiDoc({ summary: 'Create a provisioning job; it starts paused', body: createProvisioningJobSchema, response: provisioningJobViewSchema, status: 201 })
  create(@Body(new ZodValidationPipe(createProvisioningJobSchema, 'provisioning job')) input: CreateProvisioningJob) {
    return this.jobs.create(input);
  }

  @Put(':id')
  @ApiDoc({
    summary: 'Replace a job’s settings; a credential left out is kept, null removes it',
    body: provisioningJobSettingsSchema,
    response: provisioningJobViewSchema,
  })
  replace(@Param('id', idPipe) id: string, @Body(new ZodValidationPipe(provisioningJobSettingsSchema, 'provisioning job')) input: ProvisioningJobSettings) {
    return this.jobs.replace(id, input);
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiDoc({ summary: 'Delete a provisioning job and its stored credentials', status: 204 })
  async delete(@Param('id', idPipe) id: string): Promise<void> {
    await this.jobs.delete(id);
  }
}
