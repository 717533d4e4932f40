import { BadRequestException, Body, Controller, Get, HttpCode, Param, Post, Put } from '@nestjs/common';
import { MappingConfigError, validateMappingConfig } from '@roster/mapping';
import { DeletionGuardService } from '../deletion-guard/deletion-guard.service';
import { JobConfigService } from './job-config.service';
import { JobIdPipe } from './job-id.pipe';
import { MappingConfigRepository } from './mapping-config.repository';

function invalid(error: unknown): never {
  if (error instanceof MappingConfigError) {
    throw new BadRequestException({ statusCode: 400, message: 'invalid mapping configuration', problems: error.problems });
  }
  throw error;
}

/** Admin API of a provisioning job's mappings, scoping filters and held deletions. */
@Controller('jobs/:jobId')
export class MappingConfigController {
  constructor(
    private readonly configs: JobConfigService,
    private readonly guard: DeletionGuardService,
    private readonly repo: MappingConfigRepository,
  ) {}

  @Get()
  async status(@Param('jobId', JobIdPipe) jobId: string) {
    await this.configs.current(jobId);
    const job = (await this.repo.job(jobId))!;
    return { ...job, heldDeletions: await this.guard.countHeld(jobId), rescopeInProgress: job.rescopedVersion < job.currentVersion };
  }

  @Get('mapping')
  async mapping(@Param('jobId', JobIdPipe) jobId: string) {
    const { compiled } = await this.configs.current(jobId);
    return { version: compiled.version, config: compiled.config, sourceAttributes: compiled.mappings.sourceAttributes };
  }

  /** Saving a changed mapping re-evaluates every user of the job (a user falling out of scope is deprovisioned). */
  @Put('mapping')
  async save(@Param('jobId', JobIdPipe) jobId: string, @Body() body: unknown) {
    try {
      const { version, config } = await this.configs.save(jobId, body);
      return { version, config };
    } catch (error) {
      invalid(error);
    }
  }

  @Post('mapping/validate')
  @HttpCode(200)
  validate(@Body() body: unknown) {
    try {
      validateMappingConfig(body);
      return { valid: true };
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
}
