import { baseConfigSchema } from '@roster/platform';
import { z } from 'zod';

const bool = z.enum(['true', 'false']).transform((v) => v === 'true');
const httpUrl = z.string().refine((v) => URL.canParse(v) && /^https?:$/.test(new URL(v).protocol), 'must be an http(s) URL');
/** Graph calls only HTTPS endpoints, except on loopback where a local emulator needs no certificate. */
const webhookUrl = z
  .string()
  .refine(
    (v) => URL.canParse(v) && (new URL(v).protocol === 'https:' || ['localhost', '127.0.0.1', '[::1]'].includes(new URL(v).hostname)),
    'must be an https URL (http only on localhost)',
  );
/** Graph property names, as `$select` takes them: `employeeType`, `extension_<appId>_costCenter`, … */
const propertyList = z
  .string()
  .regex(/^\s*[A-Za-z][A-Za-z0-9_]*(\s*,\s*[A-Za-z][A-Za-z0-9_]*)*\s*$/, 'a comma-separated list of Graph property names')
  .transform((v) => v.split(',').map((name) => name.trim()));

/** Variables the Entra ID source cannot run without; named in the error when DIRECTORY_SOURCE=entra. */
const ENTRA_REQUIRED = ['ENTRA_TENANT_ID', 'ENTRA_CLIENT_ID', 'ENTRA_CLIENT_SECRET', 'ENTRA_SERVICE_PRINCIPAL_ID'] as const;

export const watcherConfigSchema = baseConfigSchema
  .extend({
    HTTP_PORT: z.coerce.number().int().min(0).max(65535).default(3001),
    PROVISIONING_JOB_ID: z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/).default('gotomeeting'),
    DIRECTORY_SOURCE: z.enum(['demo', 'entra']).default('demo'),
    /** Safety-net poll; changes the source announces are picked up at once. */
    WATCH_POLL_INTERVAL_MS: z.coerce.number().int().min(50).max(3_600_000).default(2000),
    /** Full comparison of directory and saved state, so a lost event cannot leave drift for long. */
    RECONCILE_INTERVAL_MS: z.coerce.number().int().min(1000).default(24 * 3600 * 1000),
    INCLUDE_DEFAULT_ACCESS: bool.default(false),
    /** Pages of a full read handled at once (each waits on PostgreSQL and Redis; the CPU work is not parallel). */
    WATCH_PAGE_CONCURRENCY: z.coerce.number().int().min(1).max(16).default(4),
    /**
     * Batches waiting downstream (assignment-change batches of up to 1,000 events, and the job's
     * command batches of up to 100 commands) above which a cycle reads no further page until they
     * drain: a sync faster than the connector keeps its backlog in the directory, not in Redis.
     */
    WATCH_BACKLOG_LIMIT: z.coerce.number().int().min(1).max(100_000).default(20),

    ENTRA_TENANT_ID: z.string().min(1).optional(),
    ENTRA_CLIENT_ID: z.string().min(1).optional(),
    ENTRA_CLIENT_SECRET: z.string().min(1).optional(),
    /** Object id of the GoToMeeting enterprise app (service principal) whose assignments define scope. */
    ENTRA_SERVICE_PRINCIPAL_ID: z.string().min(1).optional(),
    GRAPH_LOGIN_URL: httpUrl.default('https://login.microsoftonline.com'),
    GRAPH_URL: httpUrl.default('https://graph.microsoft.com'),
    /** Entra's "Sync only assigned users and groups" (default) or "Sync all users and groups". */
    ENTRA_SCOPE: z.enum(['assigned', 'all-users']).default('assigned'),
    /** Members of nested groups of an assigned group are in scope too; Entra only takes direct members. */
    ENTRA_NESTED_GROUPS: bool.default(false),
    /** `$top` of list reads, and the delta objects applied and checkpointed together. */
    GRAPH_PAGE_SIZE: z.coerce.number().int().min(1).max(999).default(999),
    /** Graph requests in flight at once (Graph throttles per application and tenant). */
    GRAPH_MAX_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(4),
    /** User properties to read besides the ones the default mapping uses. */
    ENTRA_SELECT: propertyList.optional(),
    /** Public URL of this watcher's POST /graph/notifications; unset means polling only. */
    ENTRA_WEBHOOK_URL: webhookUrl.optional(),
    /** Secret Graph echoes in every notification, so forged ones are ignored. */
    ENTRA_WEBHOOK_CLIENT_STATE: z.string().min(1).max(128).optional(),
  })
  .superRefine((c, ctx) => {
    if (c.DIRECTORY_SOURCE === 'entra') {
      for (const name of ENTRA_REQUIRED) {
        if (c[name] === undefined) ctx.addIssue({ code: 'custom', path: [name], message: 'is required when DIRECTORY_SOURCE=entra' });
      }
    }
    if (c.ENTRA_WEBHOOK_URL !== undefined && c.ENTRA_WEBHOOK_CLIENT_STATE === undefined) {
      ctx.addIssue({ code: 'custom', path: ['ENTRA_WEBHOOK_CLIENT_STATE'], message: 'is required when ENTRA_WEBHOOK_URL is set' });
    }
  });
export type WatcherConfig = z.infer<typeof watcherConfigSchema>;
