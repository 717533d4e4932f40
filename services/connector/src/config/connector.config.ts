import { baseConfigSchema } from '@roster/platform';
import { z } from 'zod';

const httpUrl = z.string().refine((v) => URL.canParse(v) && /^https?:$/.test(new URL(v).protocol), 'must be an http(s) URL');

/**
 * The GoTo endpoints default to the real hosts, so the same connector runs against GoTo, the
 * emulator or any GoTo-compatible endpoint. Credentials are either OAuth client credentials or the
 * tutorial's Team Admin user name and password (legacy direct login, which also needs a client id).
 */
export const connectorConfigSchema = baseConfigSchema
  .extend({
    HTTP_PORT: z.coerce.number().int().min(0).max(65535).default(3003),
    GOTO_AUTH_URL: httpUrl.default('https://authentication.logmeininc.com'),
    GOTO_SCIM_URL: httpUrl.default('https://api.getgo.com/identity/v1'),
    GOTO_ADMIN_URL: httpUrl.default('https://api.getgo.com/admin/rest/v1'),
    GOTO_CLIENT_ID: z.string().min(1),
    GOTO_CLIENT_SECRET: z.string().min(1).optional(),
    GOTO_ADMIN_USERNAME: z.string().min(1).optional(),
    GOTO_ADMIN_PASSWORD: z.string().min(1).optional(),
    GOTO_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(15_000),
    CONNECTOR_CONCURRENCY: z.coerce.number().int().min(1).max(500).default(16),
    RETRY_BASE_DELAY_MS: z.coerce.number().int().min(1).default(1000),
    RETRY_MAX_DELAY_MS: z.coerce.number().int().min(1).default(300_000),
  })
  .superRefine((c, ctx) => {
    const password = c.GOTO_ADMIN_USERNAME !== undefined || c.GOTO_ADMIN_PASSWORD !== undefined;
    if (password && (!c.GOTO_ADMIN_USERNAME || !c.GOTO_ADMIN_PASSWORD)) {
      const missing = c.GOTO_ADMIN_USERNAME ? 'GOTO_ADMIN_PASSWORD' : 'GOTO_ADMIN_USERNAME';
      ctx.addIssue({ code: 'custom', path: [missing], message: 'is required with the other admin credential' });
    }
    if (!password && !c.GOTO_CLIENT_SECRET) {
      ctx.addIssue({
        code: 'custom',
        path: ['GOTO_CLIENT_SECRET'],
        message: 'is required unless GOTO_ADMIN_USERNAME and GOTO_ADMIN_PASSWORD are set',
      });
    }
  });
export type ConnectorConfig = z.infer<typeof connectorConfigSchema>;
