import { Body, Controller, Get, HttpCode, Param, Post, Query, Req } from '@nestjs/common';
import {
  provisionOnDemandQuerySchema,
  provisionOnDemandRequestSchema,
  provisionOnDemandResultSchema,
  type ProvisionOnDemandRequest,
  type ProvisionOnDemandResult,
} from '@roster/contracts';
import { ReaderRoute, ZodValidationPipe } from '@roster/platform';
import type { z } from 'zod';
import { ExpensiveAction } from '../auth/expensive-action';
import type { Principal } from '../auth/principal';
import { ApiDoc } from '../docs/api-doc.decorator';
import { KnownJobPipe } from '../provisioning-jobs/known-job.pipe';
import { ProvisionOnDemandService } from './provision-on-demand.service';

/** Graph's provisionOnDemand (Entra's "Provision on demand"), and its outcome read again. */
@Controller('jobs/:id/provisionOnDemand')
export class ProvisionOnDemandController {
  constructor(private readonly onDemand: ProvisionOnDemandService) {}

  @Post()
  @HttpCode(200)
  @ExpensiveAction('provision-on-demand')
  @ApiDoc({
    summary:
      'Provision one directory user now through the pipeline (watcher, mapper, connector), logged like any change; answers each step (import, scoping, matching, action, export to GoTo) once done, or what is known when the wait ends (complete: false)',
    body: provisionOnDemandRequestSchema,
    response: provisionOnDemandResultSchema,
  })
  provision(
    @Param('id', KnownJobPipe) id: string,
    @Body(new ZodValidationPipe(provisionOnDemandRequestSchema, 'provisionOnDemand request')) body: ProvisionOnDemandRequest,
    @Req() request: { principal: Principal },
  ): Promise<ProvisionOnDemandResult> {
    return this.onDemand.provision(id, body.userId, `${request.principal.kind} ${request.principal.name}`);
  }

  @Get()
  @ReaderRoute()
  @ApiDoc({ summary: 'The steps of an earlier provisionOnDemand, as the provisioning log has them now', query: provisionOnDemandQuerySchema, response: provisionOnDemandResultSchema })
  outcome(
    @Param('id', KnownJobPipe) id: string,
    @Query(new ZodValidationPipe(provisionOnDemandQuerySchema, 'provisionOnDemand query')) query: z.infer<typeof provisionOnDemandQuerySchema>,
  ): Promise<ProvisionOnDemandResult> {
    return this.onDemand.outcome(id, query.changeId);
  }
}
