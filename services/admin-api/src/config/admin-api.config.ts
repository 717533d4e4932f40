import { SECRET_KEY_VARIABLE, SecretBox, baseConfigSchema } from '@roster/platform';
import { provisioningJobIdSchema } from '@roster/contracts';
import { z } from 'zod';

const validKey = (key: string) => {
  try {
    return new SecretBox(key) !== undefined;
  } catch {
    return false;
  }
};
const optional = z.string().min(1).optional();

/**
 * The admin API's own settings, and the variables that create or update the default provisioning
 * job at start (the same names the pipeline services read, so one environment configures both).
 */
export const adminApiConfigSchema = baseConfigSchema.extend({
  HTTP_PORT: z.coerce.number().int().min(0).max(65535).default(3005),
  /** Encrypts the credentials of provisioning jobs in the database; required, as a job cannot be saved without it. */
  [SECRET_KEY_VARIABLE]: z.string().refine(validKey, 'must be 32 bytes in base64 (make one with: npm run secret -- key)'),
  /** Failed authentications per client address and window before that address is refused for a while. */
  AUTH_FAILURE_LIMIT: z.coerce.number().int().min(1).max(100_000).default(10),
  AUTH_FAILURE_WINDOW_MS: z.coerce.number().int().min(1000).max(86_400_000).default(60_000),
  /** Largest JSON body accepted; larger ones get a 413. */
  HTTP_BODY_LIMIT_BYTES: z.coerce.number().int().min(1024).max(50 * 1024 * 1024).default(1024 * 1024),
  PROVISIONING_JOB_ID: provisioningJobIdSchema.default('gotomeeting'),
  DIRECTORY_SOURCE: z.enum(['demo', 'entra']).default('demo'),
  ENTRA_TENANT_ID: optional,
  ENTRA_CLIENT_ID: optional,
  ENTRA_CLIENT_SECRET: optional,
  ENTRA_SERVICE_PRINCIPAL_ID: optional,
  ENTRA_SCOPE: z.enum(['assigned', 'all-users']).default('assigned'),
  GOTO_AUTH_URL: optional,
  GOTO_SCIM_URL: optional,
  GOTO_ADMIN_URL: optional,
  /** When set, the default job is created or updated from these variables at start. */
  GOTO_CLIENT_ID: optional,
  GOTO_CLIENT_SECRET: optional,
  GOTO_ADMIN_USERNAME: optional,
  GOTO_ADMIN_PASSWORD: optional,
  GOTO_RATE_LIMIT_PER_SECOND: z.coerce.number().int().min(1).max(100_000).default(10),
  /** Comma-separated addresses the default job's notification e-mail goes to. */
  NOTIFICATION_EMAILS: z
    .string()
    .transform((v) => v.split(',').map((s) => s.trim()).filter(Boolean))
    .pipe(z.array(z.email()))
    .optional(),
}).superRefine((c, ctx) => {
  if (c.GOTO_CLIENT_ID === undefined || c.DIRECTORY_SOURCE !== 'entra') return;
  for (const variable of ['ENTRA_TENANT_ID', 'ENTRA_CLIENT_ID', 'ENTRA_SERVICE_PRINCIPAL_ID'] as const) {
    if (c[variable] === undefined) ctx.addIssue({ code: 'custom', path: [variable], message: 'is required when DIRECTORY_SOURCE=entra' });
  }
});
export type AdminApiConfig = z.infer<typeof adminApiConfigSchema>;
