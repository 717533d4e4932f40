import { Body, Controller, HttpCode, Param, Post, Res } from '@nestjs/common';
import { validateCredentialsReplySchema, validateCredentialsRequestSchema, type ValidateCredentialsRequest } from '@roster/contracts';
import { ZodValidationPipe } from '@roster/platform';
import type { ServerResponse } from 'node:http';
import { ExpensiveAction } from '../auth/expensive-action';
import { ApiDoc } from '../docs/api-doc.decorator';
import { KnownJobPipe } from '../provisioning-jobs/known-job.pipe';
import { CredentialsService, TestConnectionThrottled } from './credentials.service';

@Controller('jobs/:id')
export class ValidateCredentialsController {
  constructor(private readonly credentials: CredentialsService) {}

  /**
   * 200 with a verdict per end, OK or why not (a failed check is an answer, not an error); 429 with
   * Retry-After when the caller, or the job's last Test Connection, was too recent.
   */
  @Post('validateCredentials')
  @HttpCode(200)
  @ExpensiveAction('test-connection')
  @ApiDoc({
    summary: 'Test Connection: the directory source and GoTo with the job’s saved credentials ({"resume": true} also ends a quarantine when GoTo answers)',
    body: validateCredentialsRequestSchema,
    response: validateCredentialsReplySchema,
  })
  async validate(
    @Param('id', KnownJobPipe) id: string,
    @Body(new ZodValidationPipe(validateCredentialsRequestSchema, 'Test Connection request')) request: ValidateCredentialsRequest,
    @Res({ passthrough: true }) res: ServerResponse,
  ) {
    try {
      return await this.credentials.validate(id, request.resume);
    } catch (error) {
      if (error instanceof TestConnectionThrottled && error.retryAfter !== null) res.setHeader('retry-after', error.retryAfter);
      throw error;
    }
  }
}
