import { Body, Controller, Get, HttpCode, NotFoundException, Param, Post, Put } from '@nestjs/common';
import { DeletionGuardService } from '../deletion-guard/deletion-guard.service';
import { invalid } from './invalid-mapping';
import { JobConfigService, type JobContext } from './job-config.service';
import { JobIdPipe } from './job-id.pipe';

/** Admin API of a provisioning job's mappings, scoping filters and held deletions. */
@Controller('jobs/:jobId')
export class MappingConfigController {
  constructor(
    private readonly configs: JobConfigService,
    private readonly guard: DeletionGuardService,
  ) {}

  @Get()
  async status(@Param('jobId', JobIdPipe) jobId: string) {
    const { job } = await this.known(jobId);
    return { ...job, heldDeletions: await this.guard.countHeld(jobId), rescopeInProgress: job.rescopedVersion < job.currentVersion };
  }

  @Get('mapping')
  async mapping(@Param('jobId', JobIdPipe) jobId: string) {
    const { compiled } = await this.known(jobId);
    return { version: compiled.version, config: compiled.config, sourceAttributes: compiled.mappings.sourceAttributes };
  }

  /** Saving a changed mapping re-evaluates every user of the job (a user falling out of scope is deprovisioned). */
  @Put('mapping')
  async save(@Param('jobId', JobIdPipe) jobId: string, @Body() body: unknown) {
    try {
      return await this.configs.save(jobId, body);
    } catch (error) {
      invalid(error);
    }
  }

  @Post('mapping/validate')
  @HttpCode(200)
  async validate(@Param('jobId', JobIdPipe) jobId: string, @Body() body: unknown) {
    try {
      const { licenses } = await this.configs.validate(jobId, body);
      return { valid: true, ...(licenses ? { licenses } : {}) };
    } catch (error) {
      invalid(error);
    }
  }

  @Get('held-deletions')
  held(@Param('jobId', JobIdPipe) jobId: string) {
    return this.guard.list(jobId, 'held', 1000).then((items) => ({ items }));
  }

  @Post('held-deletions/approve')
  @HttpCode(200)
  async approve(@Param('jobId', JobIdPipe) jobId: string) {
    return { released: await this.guard.approve(jobId) };
  }

  @Post('held-deletions/reject')
  @HttpCode(200)
  async reject(@Param('jobId', JobIdPipe) jobId: string) {
    return { rejected: await this.guard.reject(jobId) };
  }

  /** Reads never create a job: one the mapper does not know is a 404, whatever id a caller tries. */
  private async known(jobId: string): Promise<JobContext> {
    const context = await this.configs.find(jobId);
    if (!context) {
      throw new NotFoundException(`no provisioning job "${jobId}": it has no mapping configuration and has received no events (PUT /jobs/${jobId}/mapping creates it)`);
    }
    return context;
  }
}
