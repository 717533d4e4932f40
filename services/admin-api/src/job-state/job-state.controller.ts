import { Body, Controller, HttpCode, Param, Post, Req } from '@nestjs/common';
import { provisioningJobViewSchema, restartRequestSchema, type RestartRequest } from '@roster/contracts';
import { ZodValidationPipe } from '@roster/platform';
import type { Principal } from '../auth/principal';
import { ApiDoc } from '../docs/api-doc.decorator';
import { KnownJobPipe } from '../provisioning-jobs/known-job.pipe';
import { JobStateService } from './job-state.service';

const who = (principal: Principal) => `${principal.kind} ${principal.name}`;

/** Provisioning Status On/Off and restart, named as Microsoft Graph's synchronization job actions. */
@Controller('jobs/:id')
export class JobStateController {
  constructor(private readonly states: JobStateService) {}

  @Post('start')
  @HttpCode(200)
  @ApiDoc({ summary: 'Provisioning Status On: the job runs again from where it was, queued work included (no change if it runs)', response: provisioningJobViewSchema })
  start(@Param('id', KnownJobPipe) id: string, @Req() request: { principal: Principal }) {
    return this.states.start(id, who(request.principal));
  }

  @Post('pause')
  @HttpCode(200)
  @ApiDoc({ summary: 'Provisioning Status Off: nothing more is sent to GoTo; queued work waits for start', response: provisioningJobViewSchema })
  pause(@Param('id', KnownJobPipe) id: string, @Req() request: { principal: Principal }) {
    return this.states.pause(id, who(request.principal));
  }

  @Post('restart')
  @HttpCode(200)
  @ApiDoc({
    summary: 'Forget the saved position and restate every user in a fresh initial cycle; optionally end the quarantine and approve or reject held deletions. Turns the job on.',
    body: restartRequestSchema,
    response: provisioningJobViewSchema,
  })
  restart(
    @Param('id', KnownJobPipe) id: string,
    @Body(new ZodValidationPipe(restartRequestSchema, 'restart request')) body: RestartRequest,
    @Req() request: { principal: Principal },
  ) {
    return this.states.restart(id, who(request.principal), body);
  }
}
