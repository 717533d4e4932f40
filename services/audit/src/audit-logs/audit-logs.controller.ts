import { Controller, Get, NotFoundException, Param, Query, Req, Res } from '@nestjs/common';
import {
  auditLogExportQuerySchema,
  auditLogQuerySchema,
  type AuditLogExportQuery,
  type AuditLogQuery,
  type ProvisioningObjectSummaryPage,
} from '@roster/contracts';
import { ProvisioningJobRecords, ZodValidationPipe } from '@roster/platform';
import { toProvisioningObjectSummary } from '@roster/provisioning-log';
import type { Writable } from 'node:stream';
import { decodeCursor, encodeCursor } from '../provisioning-logs/log-cursor';
import { ProvisioningLogRepository } from '../provisioning-logs/provisioning-log.repository';
import { EXPORT_CONTENT_TYPE, LogExports } from './log-exports.service';
import { selectionOf } from './log-selection';

/** What the controller reads of Express's request and response (their types are not installed). */
interface HttpRequest {
  originalUrl: string;
  headers: Record<string, string | string[] | undefined>;
  protocol: string;
}
type HttpResponse = Writable & { setHeader(name: string, value: string): void; headersSent: boolean; destroy(error?: Error): void };

const header = (req: HttpRequest, name: string) => [req.headers[name]].flat()[0]?.split(',')[0]?.trim();

/**
 * Microsoft Graph's `GET /auditLogs/provisioning`: the log as provisioningObjectSummary objects,
 * filtered by Graph's `$filter` subset and simple parameters, paged by `$top` and `@odata.nextLink`.
 */
@Controller('auditLogs/provisioning')
export class AuditLogsController {
  constructor(
    private readonly logs: ProvisioningLogRepository,
    private readonly exports: LogExports,
    private readonly jobs: ProvisioningJobRecords,
  ) {}

  @Get()
  async list(
    @Query(new ZodValidationPipe(auditLogQuerySchema, 'provisioning-log query')) query: AuditLogQuery,
    @Req() req: HttpRequest,
  ): Promise<ProvisioningObjectSummaryPage> {
    const { $top, $skiptoken, ...filters } = query;
    const [page, tenants] = await Promise.all([
      this.logs.page(selectionOf(filters), $top, $skiptoken === undefined ? null : decodeCursor($skiptoken)),
      this.jobs.directoryTenants(),
    ]);
    // Links point where the client called: the admin API forwards its own host and scheme.
    const base = `${header(req, 'x-forwarded-proto') ?? req.protocol}://${header(req, 'x-forwarded-host') ?? header(req, 'host')}`;
    const next = new URL(req.originalUrl, base);
    if (page.next) next.searchParams.set('$skiptoken', encodeCursor(page.next));
    return {
      '@odata.context': `${base}/$metadata#auditLogs/provisioning`,
      value: page.rows.map((row) => toProvisioningObjectSummary(row, tenants.get(row.provisioning_job_id))),
      ...(page.next ? { '@odata.nextLink': next.toString() } : {}),
    };
  }

  /** The filtered log as one JSON array or CSV file, streamed from PostgreSQL. */
  @Get('export')
  async export(
    @Query(new ZodValidationPipe(auditLogExportQuerySchema, 'provisioning-log export')) query: AuditLogExportQuery,
    @Res() res: HttpResponse,
  ): Promise<void> {
    const { format, ...filters } = query;
    const selection = selectionOf(filters);
    res.setHeader('content-type', EXPORT_CONTENT_TYPE[format]);
    res.setHeader('content-disposition', `attachment; filename="provisioning-logs.${format}"`);
    try {
      await this.exports.send(selection, format, res);
    } catch (error) {
      if (!res.headersSent) throw error;
      // The client went away, or the database failed once the answer had begun: end it visibly incomplete.
      res.destroy();
    }
  }

  @Get(':id')
  async get(@Param('id') id: string) {
    const [row, tenants] = await Promise.all([this.logs.findById(id), this.jobs.directoryTenants()]);
    if (!row) throw new NotFoundException(`no provisioning-log entry ${id}`);
    return toProvisioningObjectSummary(row, tenants.get(row.provisioning_job_id));
  }
}
