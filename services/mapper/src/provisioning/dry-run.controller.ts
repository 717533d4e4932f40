import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { directoryUsersQuerySchema, mapperDryRunRequestSchema } from '@roster/contracts';
import { NOT_PROVISIONED, dryRunDecision } from '@roster/mapping';
import { ZodValidationPipe } from '@roster/platform';
import type { z } from 'zod';
import { JobConfigService } from '../mapping-config/job-config.service';
import { JobIdPipe } from '../mapping-config/job-id.pipe';
import { MapperUserStateRepository } from './mapper-user-state.repository';

/**
 * A dry run's decisions: for a page of directory users (the admin API reads them from the watcher),
 * what the mapping in force would send against what the mapper last decided. Locks, saves and
 * sends nothing.
 */
@Controller('jobs/:jobId/dry-run')
export class DryRunController {
  constructor(
    private readonly configs: JobConfigService,
    private readonly states: MapperUserStateRepository,
  ) {}

  @Post()
  @HttpCode(200)
  async decide(@Param('jobId', JobIdPipe) jobId: string, @Body(new ZodValidationPipe(mapperDryRunRequestSchema, 'dry-run page')) body: z.infer<typeof mapperDryRunRequestSchema>) {
    const { compiled } = await this.configs.forPreview(jobId, undefined);
    const states = await this.states.read(jobId, body.users.map((u) => u.id));
    return { items: body.users.map((u) => dryRunDecision(compiled, u, states.get(u.id) ?? NOT_PROVISIONED)) };
  }

  /** Users with an account or an assignment: those of them the directory no longer has would be deprovisioned. */
  @Get('known-users')
  async known(@Param('jobId', JobIdPipe) jobId: string, @Query(new ZodValidationPipe(directoryUsersQuerySchema, 'known users query')) query: z.infer<typeof directoryUsersQuerySchema>) {
    const ids = await this.states.knownAfter(jobId, query.after ?? null, query.limit);
    return { items: ids, next: ids.length === query.limit ? ids.at(-1)! : null };
  }
}
