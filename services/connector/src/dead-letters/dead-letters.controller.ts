import { Body, Controller, Get, HttpCode, NotFoundException, Param, Post, Query } from '@nestjs/common';
import { ZodValidationPipe } from '@roster/platform';
import { DeadLetterRepository } from './dead-letter.repository';
import {
  deadLetterIdSchema,
  deadLetterQuerySchema,
  redriveRequestSchema,
  type DeadLetterQuery,
  type RedriveRequest,
} from '@roster/contracts';
import { RedriveService } from './redrive.service';

const idPipe = new ZodValidationPipe(deadLetterIdSchema, 'dead-letter id');

/** The dead-letter queue's admin API: look at what failed for good, and send it again. */
@Controller('dead-letters')
export class DeadLettersController {
  constructor(
    private readonly deadLetters: DeadLetterRepository,
    private readonly redrive: RedriveService,
  ) {}

  /** Filters: provisioningJobId, userId, type, errorKind, status (dead, redriven, any; default dead), from/to; newest first. */
  @Get()
  list(@Query(new ZodValidationPipe(deadLetterQuerySchema, 'dead-letter query')) query: DeadLetterQuery) {
    return this.deadLetters.list(query);
  }

  @Get(':id')
  async get(@Param('id', idPipe) id: string) {
    const entry = await this.deadLetters.get(id);
    if (!entry) throw new NotFoundException(`no dead letter ${id}`);
    return entry;
  }

  @Post('redrive')
  @HttpCode(200)
  redriveMatching(@Body(new ZodValidationPipe(redriveRequestSchema, 'redrive request')) request: RedriveRequest) {
    const { all: _all, ...filter } = request;
    return this.redrive.redriveMatching(filter);
  }

  @Post(':id/redrive')
  @HttpCode(200)
  redriveOne(@Param('id', idPipe) id: string) {
    return this.redrive.redriveOne(id);
  }
}
