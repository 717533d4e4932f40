import { BadRequestException, Body, Controller, Get, HttpCode, NotFoundException, Param, Post, Query } from '@nestjs/common';
import {
  deadLetterIdSchema,
  deadLetterPageSchema,
  deadLetterQuerySchema,
  deadLetterSchema,
  redriveRequestSchema,
  redriveResultSchema,
  type DeadLetterQuery,
  type RedriveRequest,
} from '@roster/contracts';
import { ReaderRoute, ZodValidationPipe } from '@roster/platform';
import { ApiDoc } from '../docs/api-doc.decorator';
import { PipelineClient, PipelineRefusal, parseAnswer } from '../pipeline/pipeline-client';
import { KnownJobPipe } from '../provisioning-jobs/known-job.pipe';

const jobQuerySchema = deadLetterQuerySchema.omit({ provisioningJobId: true });
const letterIdPipe = new ZodValidationPipe(deadLetterIdSchema, 'dead-letter id');

/**
 * A job's dead letters: commands the connector could not make succeed (a refused attribute, a
 * conflict, retries used up). A re-drive asks the mapper to recompute the user from its current
 * state and the mapping in force, never sends the old command again.
 */
@Controller('jobs/:id/dead-letters')
export class DeadLettersController {
  constructor(private readonly pipeline: PipelineClient) {}

  @Get()
  @ReaderRoute()
  @ApiDoc({ summary: 'The job’s dead letters, newest first (filters: userId, type, errorKind, status, from, to; limit and cursor)', query: jobQuerySchema, response: deadLetterPageSchema })
  async list(@Param('id', KnownJobPipe) id: string, @Query(new ZodValidationPipe(jobQuerySchema, 'dead-letter query')) query: Omit<DeadLetterQuery, 'provisioningJobId'>) {
    const page = await this.pipeline.send('connector', 'GET', '/dead-letters', { query: { ...query, provisioningJobId: id } });
    return parseAnswer('connector', deadLetterPageSchema, page);
  }

  @Get(':letterId')
  @ReaderRoute()
  @ApiDoc({ summary: 'One dead letter, with its command and GoTo’s error', response: deadLetterSchema })
  get(@Param('id', KnownJobPipe) id: string, @Param('letterId', letterIdPipe) letterId: string) {
    return this.ofJob(id, letterId);
  }

  @Post('redrive')
  @HttpCode(200)
  @ApiDoc({ summary: 'Re-drive the job’s dead letters that match the filters, or {"all": true} for every one', body: redriveRequestSchema, response: redriveResultSchema })
  async redriveMatching(@Param('id', KnownJobPipe) id: string, @Body(new ZodValidationPipe(redriveRequestSchema, 'redrive request')) request: RedriveRequest) {
    if (request.provisioningJobId !== undefined && request.provisioningJobId !== id) {
      throw new BadRequestException(`provisioningJobId ${request.provisioningJobId} is not this job; leave it out`);
    }
    const answer = await this.pipeline.send('connector', 'POST', '/dead-letters/redrive', { body: { ...request, provisioningJobId: id } });
    return parseAnswer('connector', redriveResultSchema, answer);
  }

  @Post(':letterId/redrive')
  @HttpCode(200)
  @ApiDoc({ summary: 'Re-drive one dead letter (409 when it was re-driven or resolved already)', response: redriveResultSchema })
  async redriveOne(@Param('id', KnownJobPipe) id: string, @Param('letterId', letterIdPipe) letterId: string) {
    await this.ofJob(id, letterId);
    return parseAnswer('connector', redriveResultSchema, await this.pipeline.send('connector', 'POST', `/dead-letters/${letterId}/redrive`));
  }

  /** A dead letter of another job is not found here, as if it did not exist. */
  private async ofJob(id: string, letterId: string) {
    const answer = await this.pipeline.call('connector', 'GET', `/dead-letters/${letterId}`);
    if (answer.status >= 400 && answer.status !== 404) throw new PipelineRefusal(answer, 'connector');
    const letter = answer.status === 404 ? null : parseAnswer('connector', deadLetterSchema, answer.body);
    if (!letter || letter.provisioningJobId !== id) throw new NotFoundException(`no dead letter ${letterId} in job ${id}`);
    return letter;
  }
}
