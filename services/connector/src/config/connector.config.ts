import { GOTO_DEFAULT_ENDPOINTS } from '@roster/goto-client';
import { baseConfigSchema } from '@roster/platform';
import { z } from 'zod';

const httpUrl = z.string().refine((v) => URL.canParse(v) && /^https?:$/.test(new URL(v).protocol), 'must be an http(s) URL');
const ms = (min: number, max: number, fallback: number) => z.coerce.number().int().min(min).max(max).default(fallback);

/**
 * The GoTo endpoints default to the real hosts, so the same connector runs against GoTo, the
 * emulator or any GoTo-compatible endpoint. Credentials are either OAuth client credentials or the
 * tutorial's Team Admin user name and password (legacy direct login, which also needs a client id).
 */
export const connectorConfigSchema = baseConfigSchema
  .extend({
    HTTP_PORT: z.coerce.number().int().min(0).max(65535).default(3003),
    /** The provisioning job this connector's GoTo target belongs to: names its shared rate limit and quarantine. */
    PROVISIONING_JOB_ID: z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'lower-case letters, digits and dashes').default('gotomeeting'),
    GOTO_AUTH_URL: httpUrl.default(GOTO_DEFAULT_ENDPOINTS.authUrl),
    GOTO_SCIM_URL: httpUrl.default(GOTO_DEFAULT_ENDPOINTS.scimUrl),
    GOTO_ADMIN_URL: httpUrl.default(GOTO_DEFAULT_ENDPOINTS.adminUrl),
    /** Legacy direct login (password credentials); the default is derived from GOTO_AUTH_URL below. */
    GOTO_DIRECT_LOGIN_URL: httpUrl.optional(),
    /**
     * Left out, the environment describes no GoTo connection: the connector runs its job only as the
     * job's record says, and takes no command until the record exists.
     */
    GOTO_CLIENT_ID: z.string().min(1).optional(),
    GOTO_CLIENT_SECRET: z.string().min(1).optional(),
    GOTO_ADMIN_USERNAME: z.string().min(1).optional(),
    GOTO_ADMIN_PASSWORD: z.string().min(1).optional(),
    GOTO_TIMEOUT_MS: ms(100, 120_000, 15_000),
    /**
     * How long a create that got no answer, and that GoTo did not hold when read back, may still
     * land: its user's disable or delete waits for it that long (reading GoTo at growing intervals).
     * Unset: four times GOTO_TIMEOUT_MS.
     */
    GOTO_LATE_CREATE_WATCH_MS: z.coerce.number().int().min(0).max(24 * 3_600_000).optional(),
    /**
     * auto: the running commands' creates and updates go as SCIM /Bulk requests when GoTo's
     * ServiceProviderConfig (read at start) advertises bulk; off: never, and it is not read.
     */
    GOTO_BULK: z.enum(['auto', 'off']).default('auto'),
    /** How long a write waits at most for the other running commands' before its bulk request goes without them (see BulkWriteSession). */
    GOTO_BULK_WAIT_MS: ms(0, 120_000, 1_000),
    /** Requests per second per GoTo API family (auth, SCIM, admin), shared by every replica; GoTo's default is 10. */
    GOTO_RATE_LIMIT_PER_SECOND: z.coerce.number().int().min(1).max(100_000).default(10),
    /**
     * Added to the 1-second window: GoTo counts arrivals, Roster counts admissions, and the time in
     * between varies by a few milliseconds, which would otherwise let GoTo see one request too many.
     */
    GOTO_RATE_LIMIT_GUARD_MS: ms(0, 1000, 80),
    /** How long a loaded index of GoTo's accounts is trusted for matching before it is read again. */
    GOTO_INDEX_TTL_MS: ms(1000, 7 * 24 * 3_600_000, 600_000),
    /** SCIM `count` asked for when reading the index; GoTo may answer with smaller pages. */
    GOTO_INDEX_PAGE_SIZE: z.coerce.number().int().min(1).max(1000).default(100),
    /**
     * How long a group membership change waits for others to the same group, so they share one
     * PATCH (up to GoTo's 100 members); a group with 100 changes pending goes at once.
     */
    GROUP_BATCH_WINDOW_MS: ms(0, 60_000, 500),
    CONNECTOR_CONCURRENCY: z.coerce.number().int().min(1).max(500).default(16),
    RETRY_BASE_DELAY_MS: z.coerce.number().int().min(1).default(1000),
    RETRY_MAX_DELAY_MS: z.coerce.number().int().min(1).default(300_000),
    /** Quarantine when, within QUARANTINE_WINDOW_MS, at least this many commands failed transiently… */
    QUARANTINE_FAILURE_THRESHOLD: z.coerce.number().int().min(1).default(20),
    /** …and they were at least this share of the commands executed (Entra quarantines at 40 %). */
    QUARANTINE_FAILURE_RATIO: z.coerce.number().min(0).max(1).default(0.4),
    QUARANTINE_WINDOW_MS: ms(1000, 3_600_000, 60_000),
    /** First wait before a probe; it doubles after each failed probe, up to QUARANTINE_MAX_MS. */
    QUARANTINE_INITIAL_MS: ms(100, 24 * 3_600_000, 30_000),
    QUARANTINE_MAX_MS: ms(100, 7 * 24 * 3_600_000, 3_600_000),
    /** An admin's Test Connection runs at most once per this interval per job (it spends GoTo's rate limit); 0: no limit. */
    TEST_CONNECTION_INTERVAL_MS: ms(0, 3_600_000, 10_000),
    /**
     * How often GoTo is reconciled with the desired state (one replica at a time, never two runs at
     * once); 0: only on demand. A run that finds nothing to fix costs about one request per 100 users.
     */
    GOTO_RECONCILE_INTERVAL_MS: ms(0, 30 * 24 * 3_600_000, 6 * 3_600_000),
    /** Where quarantine alerts are POSTed (JSON), besides the log and the provisioning log. */
    NOTIFY_WEBHOOK_URL: z.url().optional(),
  })
  .superRefine((c, ctx) => {
    const password = c.GOTO_ADMIN_USERNAME !== undefined || c.GOTO_ADMIN_PASSWORD !== undefined;
    if (c.GOTO_CLIENT_ID === undefined) {
      if (password || c.GOTO_CLIENT_SECRET !== undefined) ctx.addIssue({ code: 'custom', path: ['GOTO_CLIENT_ID'], message: 'is required with GoTo credentials' });
    } else if (password && (!c.GOTO_ADMIN_USERNAME || !c.GOTO_ADMIN_PASSWORD)) {
      const missing = c.GOTO_ADMIN_USERNAME ? 'GOTO_ADMIN_PASSWORD' : 'GOTO_ADMIN_USERNAME';
      ctx.addIssue({ code: 'custom', path: [missing], message: 'is required with the other admin credential' });
    }
    if (c.GOTO_CLIENT_ID !== undefined && !password && !c.GOTO_CLIENT_SECRET) {
      ctx.addIssue({
        code: 'custom',
        path: ['GOTO_CLIENT_SECRET'],
        message: 'is required unless GOTO_ADMIN_USERNAME and GOTO_ADMIN_PASSWORD are set',
      });
    }
    if (c.QUARANTINE_MAX_MS < c.QUARANTINE_INITIAL_MS) {
      ctx.addIssue({ code: 'custom', path: ['QUARANTINE_MAX_MS'], message: 'must not be less than QUARANTINE_INITIAL_MS' });
    }
  })
  .transform((c) => ({ ...c, GOTO_DIRECT_LOGIN_URL: c.GOTO_DIRECT_LOGIN_URL ?? directLoginUrlFor(c.GOTO_AUTH_URL) }));
export type ConnectorConfig = z.infer<typeof connectorConfigSchema>;

/**
 * GoTo serves the legacy direct login on its old API host, not on the OAuth host. Against any other
 * GOTO_AUTH_URL (the emulator, a proxy) it is looked for on that host, so an admin password never
 * goes to a host the configuration does not name.
 */
export function directLoginUrlFor(authUrl: string): string {
  const real = new URL(authUrl).origin === new URL(GOTO_DEFAULT_ENDPOINTS.authUrl).origin;
  return real ? GOTO_DEFAULT_ENDPOINTS.directLoginUrl : `${authUrl.replace(/\/+$/, '')}/oauth/access_token`;
}
