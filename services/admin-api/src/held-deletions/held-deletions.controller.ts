import { Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { heldCommandRowSchema, heldDeletionsDecisionSchema, heldDeletionsSchema, mapperJobStatusSchema } from '@roster/contracts';
import { ReaderRoute } from '@roster/platform';
import { ApiDoc } from '../docs/api-doc.decorator';
import type { z } from 'zod';
import { PipelineClient, PipelineRefusal, parseAnswer, type PipelineAnswer } from '../pipeline/pipeline-client';
import { KnownJobPipe } from '../provisioning-jobs/known-job.pipe';

type HeldDeletions = z.infer<typeof heldDeletionsSchema>;

/** The mapper knows a job once it is configured or has had events: before that it holds nothing. */
const unknownToMapper = (answer: PipelineAnswer<unknown>) => answer.status === 404;

/**
 * Accidental-deletion prevention: when a cycle's disables and deletes exceed the job's threshold the
 * mapper holds them and the job needs approval. Approving sends them (Entra's "Allow deletes",
 * Graph's ForceDeletes); rejecting drops them and the users count as active in GoTo again.
 */
@Controller('jobs/:id/held-deletions')
export class HeldDeletionsController {
  constructor(private readonly pipeline: PipelineClient) {}

  @Get()
  @ReaderRoute()
  @ApiDoc({ summary: 'Disables and deletes held back by the deletion threshold, and whether the job needs approval', response: heldDeletionsSchema })
  async list(@Param('id', KnownJobPipe) id: string): Promise<HeldDeletions> {
    const status = await this.pipeline.call('mapper', 'GET', `/jobs/${id}`);
    if (unknownToMapper(status)) return { approvalRequired: false, reason: null, items: [] };
    if (status.status >= 400) throw new PipelineRefusal(status, 'mapper');
    const job = parseAnswer('mapper', mapperJobStatusSchema, status.body);
    const rows = parseAnswer('mapper', heldCommandRowSchema.array(), (await this.pipeline.send<{ items: unknown }>('mapper', 'GET', `/jobs/${id}/held-deletions`)).items);
    return {
      approvalRequired: job.approvalRequired,
      reason: job.approvalReason,
      items: rows.map((r) => ({ id: r.id, userId: r.user_id, commandType: r.command.type, cycle: r.cycle, heldAt: new Date(r.created_at).toISOString() })),
    };
  }

  @Post('approve')
  @HttpCode(200)
  @ApiDoc({ summary: 'Send the held disables and deletes (Graph restart criteria ForceDeletes)', response: heldDeletionsDecisionSchema })
  approve(@Param('id', KnownJobPipe) id: string) {
    return this.decide(id, 'approve', { released: 0 });
  }

  @Post('reject')
  @HttpCode(200)
  @ApiDoc({ summary: 'Drop the held disables and deletes; the users count as active in GoTo again', response: heldDeletionsDecisionSchema })
  reject(@Param('id', KnownJobPipe) id: string) {
    return this.decide(id, 'reject', { rejected: 0 });
  }

  private async decide(id: string, decision: 'approve' | 'reject', nothing: object) {
    const answer = await this.pipeline.call('mapper', 'POST', `/jobs/${id}/held-deletions/${decision}`);
    if (unknownToMapper(answer)) return nothing;
    if (answer.status >= 400) throw new PipelineRefusal(answer, 'mapper');
    return parseAnswer('mapper', heldDeletionsDecisionSchema, answer.body);
  }
}
