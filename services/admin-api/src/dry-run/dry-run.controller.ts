import { Controller, Get, HttpCode, NotFoundException, Param, Post, Query } from '@nestjs/common';
import { dryRunItemsPageSchema, dryRunItemsQuerySchema, dryRunSchema, type DryRun } from '@roster/contracts';
import { ReaderRoute, ZodValidationPipe } from '@roster/platform';
import { z } from 'zod';
import { ExpensiveAction } from '../auth/expensive-action';
import { ApiDoc } from '../docs/api-doc.decorator';
import { KnownJobPipe } from '../provisioning-jobs/known-job.pipe';
import { DryRunRepository } from './dry-run.repository';
import { DryRunService } from './dry-run.service';

const runIdPipe = new ZodValidationPipe(z.uuid(), 'dry run id');

/** What a full cycle would send to GoTo, sending nothing (Entra has no such thing). */
@Controller('jobs/:id/dryRun')
export class DryRunController {
  constructor(
    private readonly dryRuns: DryRunService,
    private readonly runs: DryRunRepository,
  ) {}

  @Post()
  @HttpCode(202)
  @ExpensiveAction('dry-run')
  @ApiDoc({ summary: 'Start a dry run: the directory read now, decided against what Roster last sent; counts by command and a list of users, nothing sent (202 with the run)', response: dryRunSchema, status: 202 })
  start(@Param('id', KnownJobPipe) id: string): Promise<DryRun> {
    return this.dryRuns.start(id);
  }

  @Get(':runId')
  @ReaderRoute()
  @ApiDoc({ summary: 'A dry run: status, users read and gone, commands that would be sent by type, users failing or unchanged', response: dryRunSchema })
  async get(@Param('id', KnownJobPipe) id: string, @Param('runId', runIdPipe) runId: string): Promise<DryRun> {
    const run = await this.dryRuns.get(id, runId);
    if (!run) throw new NotFoundException(`no dry run ${runId} in job ${id}`);
    return run;
  }

  @Get(':runId/items')
  @ReaderRoute()
  @ApiDoc({ summary: 'The users a dry run would send something for (or whose mapping fails), in user-id order; `command` filters, `after` pages', query: dryRunItemsQuerySchema, response: dryRunItemsPageSchema })
  async items(
    @Param('id', KnownJobPipe) id: string,
    @Param('runId', runIdPipe) runId: string,
    @Query(new ZodValidationPipe(dryRunItemsQuerySchema, 'dry-run items query')) query: z.infer<typeof dryRunItemsQuerySchema>,
  ) {
    await this.get(id, runId);
    const items = await this.runs.items(runId, query);
    return { items, next: items.length === query.limit ? items.at(-1)!.userId : null };
  }
}
