import { Controller, Get, NotFoundException, Param, Query } from '@nestjs/common';
import { provisioningLogQuerySchema, type ProvisioningLogQuery } from '@roster/contracts';
import { ZodValidationPipe } from '@roster/platform';
import { legacyLogEntry } from './legacy-log-entry';
import { decodeCursor, encodeCursor } from './log-cursor';
import { ProvisioningLogRepository } from './provisioning-log.repository';

/** The audit service's own log API, as before the Graph-shaped one (kept for its callers). */
@Controller('provisioning-logs')
export class ProvisioningLogsController {
  constructor(private readonly logs: ProvisioningLogRepository) {}

  /** Filters: userId (directory id, GoTo id or user name), action, status, step, service, from/to; newest first. */
  @Get()
  async list(@Query(new ZodValidationPipe(provisioningLogQuerySchema, 'provisioning-log query')) query: ProvisioningLogQuery) {
    const { provisioningJobId, correlationId, limit, cursor, ...filters } = query;
    const page = await this.logs.page(
      { filters: { ...filters, jobId: provisioningJobId, changeId: correlationId } },
      limit,
      cursor === undefined ? null : decodeCursor(cursor),
    );
    return { items: page.rows.map(legacyLogEntry), nextCursor: page.next && encodeCursor(page.next) };
  }

  @Get(':id')
  async get(@Param('id') id: string) {
    const entry = await this.logs.findById(id);
    if (!entry) throw new NotFoundException(`no provisioning-log entry ${id}`);
    return legacyLogEntry(entry);
  }
}
