import { baseConfigSchema } from '@roster/platform';
import { z } from 'zod';

const bool = z.enum(['true', 'false']).transform((v) => v === 'true');

export const watcherConfigSchema = baseConfigSchema.extend({
  HTTP_PORT: z.coerce.number().int().min(0).max(65535).default(3001),
  PROVISIONING_JOB_ID: z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/).default('gotomeeting'),
  DIRECTORY_SOURCE: z.enum(['demo']).default('demo'),
  /** Safety-net poll; changes the source announces are picked up at once. */
  WATCH_POLL_INTERVAL_MS: z.coerce.number().int().min(50).max(3_600_000).default(2000),
  /** Full comparison of directory and saved state, so a lost event cannot leave drift for long. */
  RECONCILE_INTERVAL_MS: z.coerce.number().int().min(1000).default(24 * 3600 * 1000),
  INCLUDE_DEFAULT_ACCESS: bool.default(false),
});
export type WatcherConfig = z.infer<typeof watcherConfigSchema>;
