import { baseConfigSchema } from '@roster/platform';
import { z } from 'zod';

export const auditConfigSchema = baseConfigSchema.extend({
  HTTP_PORT: z.coerce.number().int().min(0).max(65535).default(3004),
  /** Jobs taken at once; their records are written together in multi-row inserts. */
  AUDIT_CONCURRENCY: z.coerce.number().int().min(1).max(2000).default(200),
  AUDIT_BATCH_SIZE: z.coerce.number().int().min(1).max(5000).default(500),
  /** Days a provisioning-log record is kept (Entra keeps 30 with P1/P2); whole days are dropped once past it. */
  LOG_RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(30),
  /** How often expired days are dropped and the coming days' partitions made. */
  LOG_RETENTION_CHECK_MS: z.coerce.number().int().min(1000).max(86_400_000).default(3_600_000),
  /** How often a server-sent progress stream looks for news. */
  PROGRESS_PUSH_INTERVAL_MS: z.coerce.number().int().min(100).max(60_000).default(1000),
});
export type AuditConfig = z.infer<typeof auditConfigSchema>;
