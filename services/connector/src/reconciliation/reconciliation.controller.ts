import { Body, ConflictException, Controller, Get, HttpCode, NotFoundException, Param, Post } from '@nestjs/common';
import { reconciliationRequestSchema, type ReconciliationRequest } from '@roster/contracts';
import { ZodValidationPipe } from '@roster/platform';
import { z } from 'zod';
import { ReconciliationBusyError } from './reconciliation-busy.error';
import { ReconciliationService } from './reconciliation.service';

const runIdPipe = new ZodValidationPipe(z.uuid(), 'reconciliation run id');

/**
 * On-demand reconciliation against GoTo. The endpoint only calls ReconciliationService, which the
 * `reconcile` RPC call and the schedule use as well.
 */
@Controller('reconciliation')
export class ReconciliationController {
  constructor(private readonly reconciliation: ReconciliationService) {}

  /** 202 with the run (status `running`); 409 with the run in progress when there is one. */
  @Post()
  @HttpCode(202)
  async start(@Body(new ZodValidationPipe(reconciliationRequestSchema, 'reconciliation request')) request: ReconciliationRequest) {
    try {
      return await this.reconciliation.start(request, 'on-demand');
    } catch (error) {
      if (error instanceof ReconciliationBusyError) throw new ConflictException(error.reply);
      throw error;
    }
  }

  @Get(':id')
  async get(@Param('id', runIdPipe) id: string) {
    const run = await this.reconciliation.get(id);
    if (!run) throw new NotFoundException(`no reconciliation run ${id}`);
    return run;
  }
}
