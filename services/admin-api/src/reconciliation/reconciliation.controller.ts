import { Body, Controller, Get, HttpCode, NotFoundException, Param, Post } from '@nestjs/common';
import { reconciliationRequestSchema, reconciliationRunSchema, type ReconciliationRequest } from '@roster/contracts';
import { ReaderRoute, ZodValidationPipe } from '@roster/platform';
import { z } from 'zod';
import { ApiDoc } from '../docs/api-doc.decorator';
import { JobServices } from '../pipeline/job-services';
import { PipelineClient, PipelineRefusal, parseAnswer } from '../pipeline/pipeline-client';
import { KnownJobPipe } from '../provisioning-jobs/known-job.pipe';

const runIdPipe = new ZodValidationPipe(z.uuid(), 'reconciliation run id');

/**
 * Reconciliation against GoTo on demand: GoTo's users and groups compared with what the job wants,
 * drift repaired (or, with dryRun, only counted). The connector runs it; one run at a time per job.
 */
@Controller('jobs/:id/reconciliation')
export class ReconciliationController {
  constructor(
    private readonly pipeline: PipelineClient,
    private readonly services: JobServices,
  ) {}

  @Post()
  @HttpCode(202)
  @ApiDoc({ summary: 'Start a reconciliation against GoTo (202 with the run; 409 with the run in progress)', body: reconciliationRequestSchema, response: reconciliationRunSchema, status: 202 })
  async start(@Param('id', KnownJobPipe) id: string, @Body(new ZodValidationPipe(reconciliationRequestSchema, 'reconciliation request')) request: ReconciliationRequest) {
    await this.services.connector(id);
    const run = await this.pipeline.send('connector', 'POST', '/reconciliation', { body: { reason: 'admin', ...request } });
    return parseAnswer('connector', reconciliationRunSchema, run);
  }

  @Get(':runId')
  @ReaderRoute()
  @ApiDoc({ summary: 'A reconciliation run: status, counts by kind of repair, unmanaged accounts', response: reconciliationRunSchema })
  async get(@Param('id', KnownJobPipe) id: string, @Param('runId', runIdPipe) runId: string) {
    const answer = await this.pipeline.call('connector', 'GET', `/reconciliation/${runId}`);
    if (answer.status >= 400 && answer.status !== 404) throw new PipelineRefusal(answer, 'connector');
    const run = answer.status === 404 ? null : parseAnswer('connector', reconciliationRunSchema, answer.body);
    if (!run || run.provisioningJobId !== id) throw new NotFoundException(`no reconciliation run ${runId} in job ${id}`);
    return run;
  }
}
