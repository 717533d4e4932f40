import { Controller, Get, NotFoundException, Param, Query } from '@nestjs/common';
import { provisioningLogQuerySchema, type ProvisioningLogQuery } from '@roster/contracts';
import { ZodValidationPipe } from '@roster/platform';
import { ProvisioningLogRepository } from './provisioning-log.repository';

@Controller('provisioning-logs')
export class ProvisioningLogsController {
  constructor(private readonly logs: ProvisioningLogRepository) {}

  /** Filters: userId (directory id, GoTo id or user name), action, status, step, service, from/to; newest first. */
  @Get()
  list(@Query(new ZodValidationPipe(provisioningLogQuerySchema, 'provisioning-log query')) query: ProvisioningLogQuery) {
    return this.logs.query(query);
  }

  @Get(':id')
  async get(@Param('id') id: string) {
    const entry = await this.logs.findById(id);
    if (!entry) throw new NotFoundException(`no provisioning-log entry ${id}`);
    return entry;
  }
}
