import { baseConfigSchema } from '@roster/platform';
import { z } from 'zod';

const bool = z.enum(['true', 'false']).transform((v) => v === 'true');

export const mapperConfigSchema = baseConfigSchema.extend({
  HTTP_PORT: z.coerce.number().int().min(0).max(65535).default(3002),
  MAPPER_CONCURRENCY: z.coerce.number().int().min(1).max(1000).default(50),
  /** Entra's "Delete" target action: a hard-deleted user's account is deleted rather than disabled. */
  DELETE_ON_HARD_DELETE: bool.default(false),
  RETRY_BASE_DELAY_MS: z.coerce.number().int().min(1).default(1000),
  RETRY_MAX_DELAY_MS: z.coerce.number().int().min(1).default(300_000),
});
export type MapperConfig = z.infer<typeof mapperConfigSchema>;
