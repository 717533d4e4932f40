import { Controller, Get, Param, Query, Req, Res } from '@nestjs/common';
import {
  auditLogExportQuerySchema,
  auditLogQuerySchema,
  provisioningObjectSummaryPageSchema,
  provisioningObjectSummarySchema,
} from '@roster/contracts';
import { ReaderRoute, ZodValidationPipe } from '@roster/platform';
import { ApiDoc } from '../docs/api-doc.decorator';
import { PipelineClient, type StreamingResponse } from '../pipeline/pipeline-client';
import { forwardedFor, searchOf, type ForwardedRequest } from './forwarded-request';

/**
 * Microsoft Graph's `auditLogs/provisioning`, served from the audit service: readers may read the log
 * (it holds no credential: secrets and Redact() values are masked before they are stored).
 */
@Controller('auditLogs/provisioning')
@ReaderRoute()
export class AuditLogsController {
  constructor(private readonly pipeline: PipelineClient) {}

  @Get()
  @ApiDoc({
    summary:
      'Provisioning log as Graph provisioningObjectSummary objects, newest first; Graph $filter subset (eq, contains, gt, lt; and/or), simple filters, $top and @odata.nextLink',
    query: auditLogQuerySchema,
    response: provisioningObjectSummaryPageSchema,
  })
  list(@Query(new ZodValidationPipe(auditLogQuerySchema, 'provisioning-log query')) _query: unknown, @Req() req: ForwardedRequest, @Res() res: StreamingResponse) {
    return this.pipeline.stream('audit', '/auditLogs/provisioning', searchOf(req), res, forwardedFor(req));
  }

  @Get('export')
  @ApiDoc({
    summary: 'The filtered log as a JSON array of provisioningObjectSummary or as CSV (format=csv), streamed',
    query: auditLogExportQuerySchema,
  })
  export(
    @Query(new ZodValidationPipe(auditLogExportQuerySchema, 'provisioning-log export')) _query: unknown,
    @Req() req: ForwardedRequest,
    @Res() res: StreamingResponse,
  ) {
    return this.pipeline.stream('audit', '/auditLogs/provisioning/export', searchOf(req), res, forwardedFor(req));
  }

  @Get(':id')
  @ApiDoc({ summary: 'One provisioning-log record', response: provisioningObjectSummarySchema })
  get(@Param('id') id: string, @Req() req: ForwardedRequest, @Res() res: StreamingResponse) {
    return this.pipeline.stream('audit', `/auditLogs/provisioning/${encodeURIComponent(id)}`, '', res, forwardedFor(req));
  }
}
