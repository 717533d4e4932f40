import { z } from 'zod';
import { AuditAction, AuditStatus, AuditStep } from './audit-record';
import { isoInstantSchema } from './iso-instant';
import { changeOrderSchema } from './message-envelope.schema';

const cursorSchema = z.string().regex(/^[A-Za-z0-9_-]{1,1024}$/, 'pass back the token of a previous page');
const fromBeforeTo: [(q: { from?: string; to?: string }) => boolean, { message: string; path: string[] }] = [
  (q) => !q.from || !q.to || q.from <= q.to,
  { message: '`from` must not be after `to`', path: ['from'] },
];

/** The simple filters both log APIs share. */
const simpleFilters = {
  /** Directory id, GoTo id or user name (any case). */
  userId: z.string().min(1).max(256).optional(),
  action: AuditAction.optional(),
  status: AuditStatus.optional(),
  step: AuditStep.optional(),
  service: z.string().min(1).max(64).optional(),
  from: isoInstantSchema('from').optional(),
  to: isoInstantSchema('to').optional(),
};

/** Query string of the audit service's own `GET /provisioning-logs`. Every field is optional; unknown fields are refused. */
export const provisioningLogQuerySchema = z
  .strictObject({
    ...simpleFilters,
    provisioningJobId: z.string().min(1).max(64).optional(),
    correlationId: z.string().min(1).max(256).optional(),
    limit: z.coerce.number().int().min(1).max(1000).default(100),
    /** Opaque keyset cursor from the previous page's `nextCursor`. */
    cursor: cursorSchema.optional(),
  })
  .refine(...fromBeforeTo);
export type ProvisioningLogQuery = z.infer<typeof provisioningLogQuerySchema>;

/** The filters of `GET /auditLogs/provisioning` and of its export: Graph's OData options plus simple parameters. */
const auditLogFilters = {
  ...simpleFilters,
  /** Graph's `$filter` subset for this resource: eq, contains, gt, lt, joined with and/or and parentheses (case-sensitive). */
  $filter: z.string().min(1).max(4000).optional(),
  /** Only Graph's default order: newest first. */
  $orderby: z.literal('activityDateTime desc').optional(),
  jobId: z.string().min(1).max(64).optional(),
  cycleId: changeOrderSchema.optional(),
  changeId: z.string().min(1).max(256).optional(),
  /** Free text found anywhere in the source or target identity (id, display name, user name), any case. */
  search: z.string().min(1).max(256).optional(),
};

export const auditLogQuerySchema = z
  .strictObject({
    ...auditLogFilters,
    $top: z.coerce.number().int().min(1).max(1000).default(100),
    /** Opaque keyset position from the previous page's `@odata.nextLink`. */
    $skiptoken: cursorSchema.optional(),
  })
  .refine(...fromBeforeTo);
export type AuditLogQuery = z.infer<typeof auditLogQuerySchema>;

export const auditLogExportQuerySchema = z.strictObject({ ...auditLogFilters, format: z.enum(['json', 'csv']).default('json') }).refine(...fromBeforeTo);
export type AuditLogExportQuery = z.infer<typeof auditLogExportQuerySchema>;

/** The filters of an audit-log query, whichever API it came through. */
export type AuditLogFilters = Omit<AuditLogQuery, '$top' | '$skiptoken'>;
