import { baseConfigSchema } from '@roster/platform';
import { z } from 'zod';

export const auditConfigSchema = baseConfigSchema.extend({
  HTTP_PORT: z.coerce.number().int().min(0).max(65535).default(3004),
  /** Jobs taken at once; their records are written together in multi-row inserts. */
  AUDIT_CONCURRENCY: z.coerce.number().int().min(1).max(2000).default(200),
  AUDIT_BATCH_SIZE: z.coerce.number().int().min(1).max(5000).default(500),
});
export type AuditConfig = z.infer<typeof auditConfigSchema>;
