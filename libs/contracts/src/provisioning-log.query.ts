import { z } from 'zod';
import { AuditAction, AuditStatus, AuditStep } from './audit-record';
import { isoInstantSchema } from './iso-instant';

/** Query string of `GET /provisioning-logs`. Every field is optional; unknown fields are refused. */
export const provisioningLogQuerySchema = z
  .strictObject({
    userId: z.string().min(1).max(256).optional(),
    action: AuditAction.optional(),
    status: AuditStatus.optional(),
    step: AuditStep.optional(),
    service: z.string().min(1).max(64).optional(),
    provisioningJobId: z.string().min(1).max(64).optional(),
    correlationId: z.string().min(1).max(256).optional(),
    from: isoInstantSchema('from').optional(),
    to: isoInstantSchema('to').optional(),
    limit: z.coerce.number().int().min(1).max(1000).default(100),
    /** Opaque keyset cursor from the previous page's `nextCursor`. */
    cursor: z.string().regex(/^[A-Za-z0-9_-]{1,1024}$/).optional(),
  })
  .refine((q) => !q.from || !q.to || q.from <= q.to, { message: '`from` must not be after `to`', path: ['from'] });
export type ProvisioningLogQuery = z.infer<typeof provisioningLogQuerySchema>;
