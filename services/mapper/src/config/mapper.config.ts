import { baseConfigSchema } from '@roster/platform';
import { z } from 'zod';

export const mapperConfigSchema = baseConfigSchema.extend({
  HTTP_PORT: z.coerce.number().int().min(0).max(65535).default(3002),
  MAPPER_CONCURRENCY: z.coerce.number().int().min(1).max(10_000).default(200),
  /** Batches waiting downstream (events, the job's commands) above which a re-evaluation of every user queues no further page. */
  RESCOPE_BACKLOG_LIMIT: z.coerce.number().int().min(1).max(100_000).default(20),
  RETRY_BASE_DELAY_MS: z.coerce.number().int().min(1).default(1000),
  RETRY_MAX_DELAY_MS: z.coerce.number().int().min(1).default(300_000),
  /** Job whose mapping MAPPING_FILE configures. */
  PROVISIONING_JOB_ID: z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/).default('gotomeeting'),
  /** YAML or JSON mapping configuration applied at start (validated; a change re-evaluates every user). */
  MAPPING_FILE: z.string().min(1).optional(),
  /** Quiet time after which a cycle that staged deletions but never finished is judged on what it staged. */
  UNFINISHED_CYCLE_TIMEOUT_MS: z.coerce.number().int().min(100).max(7 * 24 * 3600 * 1000).default(3600 * 1000),
  /** Where "approval needed" notifications are POSTed (JSON), besides the log. */
  NOTIFY_WEBHOOK_URL: z.url().optional(),
});
export type MapperConfig = z.infer<typeof mapperConfigSchema>;
