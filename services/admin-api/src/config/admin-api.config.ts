import { SECRET_KEY_VARIABLE, SecretBox, baseConfigSchema } from '@roster/platform';
import { provisioningJobIdSchema } from '@roster/contracts';
import { z } from 'zod';
import { trustProxySchema } from '../auth/trust-proxy';

const validKey = (key: string) => {
  try {
    return new SecretBox(key) !== undefined;
  } catch {
    return false;
  }
};
const optional = z.string().min(1).optional();
/** A comma-separated list; blanks around the commas are ignored. */
const list = z.string().transform((v) => v.split(',').map((s) => s.trim()).filter(Boolean));
const isLoopback = (host: string) => host === 'localhost' || host === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(host);
const httpUrl = z.string().refine((v) => URL.canParse(v) && /^https?:$/.test(new URL(v).protocol), 'must be an http(s) URL');

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
  /** Proxies whose X-Forwarded-For names the client that AUTH_FAILURE_LIMIT counts (see TrustProxy); off by default. */
  TRUST_PROXY: trustProxySchema.default(false),
  /**
   * Expensive actions (Test Connection, test mail) each caller may start per window: each one calls
   * GoTo, Graph or a mail server, so a script in a loop would spend the job's rate limit or be taken
   * for abuse by the other side.
   */
  EXPENSIVE_ACTION_LIMIT: z.coerce.number().int().min(1).max(100_000).default(5),
  EXPENSIVE_ACTION_WINDOW_MS: z.coerce.number().int().min(1000).max(86_400_000).default(60_000),
  /**
   * OIDC bearer tokens are accepted when an issuer is set: its JWKS is found through its discovery
   * document. https only, except on a loopback address (a local identity provider in development).
   */
  OIDC_ISSUER: z
    .string()
    .refine((v) => URL.canParse(v) && (new URL(v).protocol === 'https:' || (new URL(v).protocol === 'http:' && isLoopback(new URL(v).hostname))), {
      message: 'must be an https URL (http only on a loopback address)',
    })
    .optional(),
  /** Accepted `aud` values, comma-separated (Entra: the API's Application ID URI or client id). */
  OIDC_AUDIENCE: list.optional(),
  /** Claim holding the caller's roles, as an array or a space-separated string; dots descend (Keycloak: realm_access.roles). */
  OIDC_ROLES_CLAIM: z.string().regex(/^[A-Za-z0-9_:.-]{1,128}$/).default('roles'),
  /** Role values (e.g. Entra app role values) that map to `admin` and to `reader`; comma-separated. */
  OIDC_ADMIN_ROLES: list.default(['Roster.Admin']),
  OIDC_READER_ROLES: list.default(['Roster.Reader']),
  /**
   * The web console's client id at the OIDC issuer, registered as a single-page app (a public client,
   * redirect URI `<this API's origin>/console/`): set, the console offers sign-in through the issuer.
   */
  CONSOLE_OIDC_CLIENT_ID: optional,
  /** What the console asks the issuer for: `openid` and the scope that gets an access token for this API (Entra: `api://roster-admin/Roster.Access`). */
  CONSOLE_OIDC_SCOPE: z
    .string()
    .refine((v) => v.split(' ').includes('openid'), 'must include openid')
    .default('openid profile'),
  /** How often the digest sender looks for jobs with something to mail. */
  NOTIFICATION_CHECK_MS: z.coerce.number().int().min(1000).max(3_600_000).default(30_000),
  /** How long a digest waits after its first event for the rest of a burst, so the burst goes in one mail. */
  NOTIFICATION_GATHER_MS: z.coerce.number().int().min(0).max(3_600_000).default(60_000),
  /** Largest JSON body accepted; larger ones get a 413. */
  HTTP_BODY_LIMIT_BYTES: z.coerce.number().int().min(1024).max(50 * 1024 * 1024).default(1024 * 1024),
  /**
   * Where the pipeline services answer their internal routes, which the admin API calls with
   * ROSTER_INTERNAL_TOKEN (their ports on loopback in the quick start, service names in containers).
   */
  WATCHER_URL: httpUrl.default('http://127.0.0.1:3001'),
  MAPPER_URL: httpUrl.default('http://127.0.0.1:3002'),
  CONNECTOR_URL: httpUrl.default('http://127.0.0.1:3003'),
  AUDIT_URL: httpUrl.default('http://127.0.0.1:3004'),
  /** Microsoft's identity platform and Graph, for a job's Test Connection of an Entra source (the Graph emulator in tests). */
  GRAPH_LOGIN_URL: httpUrl.default('https://login.microsoftonline.com'),
  GRAPH_URL: httpUrl.default('https://graph.microsoft.com'),
  /** How often each turned-on job's state is read from its services (quarantine, held deletions, cycles) and changes logged. */
  JOB_STATE_CHECK_MS: z.coerce.number().int().min(100).max(3_600_000).default(5_000),
  /** How long a call to a pipeline service may take before the admin API answers 504. */
  PIPELINE_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(30_000),
  /**
   * A running dry run that made no progress for this long is marked failed (interrupted): its admin
   * API died. Longer than a page can take (a watcher read and a mapper decision, each up to
   * PIPELINE_TIMEOUT_MS), so a slow run on another replica is never taken for a dead one.
   */
  DRY_RUN_STALE_MS: z.coerce.number().int().min(1000).max(86_400_000).default(300_000),
  /** How long provisionOnDemand waits for the pipeline's outcome before answering what it has (`complete: false`). */
  ON_DEMAND_WAIT_MS: z.coerce.number().int().min(0).max(600_000).default(30_000),
  /** The web console's build (`npm run build` writes it), served at /console; relative to the working directory. */
  CONSOLE_DIR: z.string().min(1).default('dist/console'),
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
  NOTIFICATION_EMAILS: list.pipe(z.array(z.email())).optional(),
  /** The default job's mail server (see the job's notification.smtp); SMTP_FROM is required with SMTP_HOST. */
  SMTP_HOST: optional,
  SMTP_PORT: z.coerce.number().int().min(1).max(65535).default(587),
  SMTP_TLS: z.enum(['implicit', 'starttls', 'none']).default('starttls'),
  SMTP_USER: optional,
  SMTP_PASSWORD: optional,
  SMTP_FROM: z.email().optional(),
}).superRefine((c, ctx) => {
  if (c.OIDC_ISSUER !== undefined && c.OIDC_AUDIENCE === undefined) {
    ctx.addIssue({ code: 'custom', path: ['OIDC_AUDIENCE'], message: 'is required when OIDC_ISSUER is set (a token for another API must not be accepted)' });
  }
  if (c.DRY_RUN_STALE_MS <= 2 * c.PIPELINE_TIMEOUT_MS) {
    ctx.addIssue({ code: 'custom', path: ['DRY_RUN_STALE_MS'], message: 'must be longer than twice PIPELINE_TIMEOUT_MS (one page of a dry run)' });
  }
  if (c.CONSOLE_OIDC_CLIENT_ID !== undefined && c.OIDC_ISSUER === undefined) {
    ctx.addIssue({ code: 'custom', path: ['CONSOLE_OIDC_CLIENT_ID'], message: 'needs OIDC_ISSUER (the issuer the console signs in with)' });
  }
  if (c.SMTP_HOST !== undefined && c.SMTP_FROM === undefined) ctx.addIssue({ code: 'custom', path: ['SMTP_FROM'], message: 'is required when SMTP_HOST is set' });
  if (c.GOTO_CLIENT_ID === undefined || c.DIRECTORY_SOURCE !== 'entra') return;
  for (const variable of ['ENTRA_TENANT_ID', 'ENTRA_CLIENT_ID', 'ENTRA_SERVICE_PRINCIPAL_ID'] as const) {
    if (c[variable] === undefined) ctx.addIssue({ code: 'custom', path: [variable], message: 'is required when DIRECTORY_SOURCE=entra' });
  }
});
export type AdminApiConfig = z.infer<typeof adminApiConfigSchema>;
