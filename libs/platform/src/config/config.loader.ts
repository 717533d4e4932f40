import { z } from 'zod';
import { DEFAULT_QUEUE_PREFIX } from '@roster/contracts';
import { tracingConfigShape } from '../observability/tracing.config';
import { decryptEnv } from '../secrets/decrypt-env';
import { ConfigError } from './config.error';

/** Environment variable of the internal credential (see InternalAuthGuard). */
export const INTERNAL_TOKEN_VARIABLE = 'ROSTER_INTERNAL_TOKEN';

const url = (protocols: string[]) =>
  z
    .string()
    .refine((v) => URL.canParse(v) && protocols.includes(new URL(v).protocol), {
      message: `must be a URL with scheme ${protocols.join(' or ')}`,
    });

/** Variables every service reads. Services extend this schema with their own. */
export const baseConfigSchema = z.object({
  REDIS_URL: url(['redis:', 'rediss:']).default('redis://127.0.0.1:6379'),
  DATABASE_URL: url(['postgres:', 'postgresql:']).default('postgres://postgres@127.0.0.1:5432/postgres'),
  /** PostgreSQL schema holding this installation's tables (tests use one per suite). */
  DATABASE_SCHEMA: z.string().regex(/^[a-z_][a-z0-9_]{0,62}$/, 'must be a lower-case SQL identifier').default('roster'),
  /**
   * Key prefix of every queue and of Roster's own keys. A Redis Cluster needs it as a hash tag
   * (`{roster}`): BullMQ's scripts touch several keys of a queue at once, which must share a slot.
   */
  QUEUE_PREFIX: z
    .string()
    .regex(/^(\{[A-Za-z0-9_-]{1,64}\}|[A-Za-z0-9_-]{1,64})$/, 'letters, digits, _ and - only, optionally in braces as a Redis Cluster hash tag ({roster})')
    .default(DEFAULT_QUEUE_PREFIX),
  /** Redis through Sentinel: the sentinels (`host:port,…`) and the master's name; REDIS_URL then gives credentials, database and TLS. */
  REDIS_SENTINELS: z
    .string()
    .regex(/^[A-Za-z0-9.-]+:\d{1,5}(,\s*[A-Za-z0-9.-]+:\d{1,5})*$/, 'host:port of each sentinel, separated by commas')
    .optional(),
  REDIS_SENTINEL_MASTER: z.string().regex(/^[A-Za-z0-9._-]{1,128}$/, 'the name of the master the sentinels monitor').default('mymaster'),
  REDIS_SENTINEL_PASSWORD: z.string().optional(),
  HTTP_PORT: z.coerce.number().int().min(0).max(65535),
  /**
   * Address the HTTP listener binds to: loopback by default, so a service started by hand is not
   * reachable from the network; the container image sets 0.0.0.0.
   */
  HTTP_HOST: z.string().regex(/^[A-Za-z0-9.:-]{1,253}$/, 'must be an IP address or a host name').default('127.0.0.1'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /**
   * A worker's hold on a job, renewed while it lives; a killed worker's jobs are taken up again
   * within about this plus QUEUE_STALLED_CHECK_MS (BullMQ's defaults make that a minute).
   */
  QUEUE_LOCK_MS: z.coerce.number().int().min(1000).max(600_000).default(10_000),
  QUEUE_STALLED_CHECK_MS: z.coerce.number().int().min(500).max(600_000).default(5_000),
  /** How often the queue epoch is checked, to notice that Redis lost its data or PostgreSQL was restored. */
  QUEUE_EPOCH_CHECK_MS: z.coerce.number().int().min(100).max(600_000).default(5_000),
  /** Decrypts the credentials of provisioning jobs (and `enc:v1:` variables); needed once a job has credentials. */
  ROSTER_SECRET_KEY: z.string().min(1).optional(),
  /**
   * How often the provisioning jobs are read again, as a safety net: a job-changes message makes a
   * change take effect at once, this only bounds the wait when such a message was lost.
   */
  JOB_POLL_INTERVAL_MS: z.coerce.number().int().min(100).max(3_600_000).default(30_000),
  /**
   * How long at most a provisioning-log record stays in the audit outbox after it was put on the
   * queue (see AuditOutbox; the audit service deletes it once stored): records still there are sent
   * again when Redis loses its data.
   */
  AUDIT_OUTBOX_RETENTION_MS: z.coerce.number().int().min(0).max(7 * 86_400_000).default(3_600_000),
  /**
   * When the service's migrations run: at start under an advisory lock (`on-start`); `only`, then
   * exit (the Helm chart's pre-install/pre-upgrade Job); or never (`skip`, the chart's Deployments,
   * which refuse to start while a migration is pending rather than race the Job).
   */
  DATABASE_MIGRATIONS: z.enum(['on-start', 'only', 'skip']).default('on-start'),
  /** How long shutdown waits for in-flight jobs before giving up. */
  SHUTDOWN_GRACE_MS: z.coerce.number().int().min(0).max(600_000).default(30_000),
  /**
   * The installation's internal credential: the admin API presents it to the pipeline services,
   * whose routes other than health and metrics refuse any caller without it (unset: they refuse all).
   */
  [INTERNAL_TOKEN_VARIABLE]: z.string().min(32, 'must be at least 32 characters (make one with: npm run secret -- token)').max(512).optional(),
  ...tracingConfigShape,
});
export type BaseConfig = z.infer<typeof baseConfigSchema>;

/**
 * Validates the environment once at boot, after decrypting encrypted values (see decryptEnv).
 * Nothing else in a service reads `process.env`: it gets this typed object through dependency injection.
 */
export function loadConfig<S extends z.ZodType>(
  service: string,
  schema: S,
  env: Record<string, string | undefined>,
): z.infer<S> {
  // Empty strings count as unset, as in a shell `FOO= cmd`.
  const cleaned = Object.fromEntries(Object.entries(env).filter((e): e is [string, string] => e[1] !== undefined && e[1] !== ''));
  const secrets = decryptEnv(cleaned);
  if (secrets.problems.length > 0) throw new ConfigError(service, secrets.problems);
  const result = schema.safeParse(secrets.env);
  if (result.success) return result.data;
  throw new ConfigError(
    service,
    result.error.issues.map((i) => ({
      variable: i.path.map(String).join('.') || '(environment)',
      message: i.code === 'invalid_type' && i.input === undefined ? 'is required' : i.message,
    })),
  );
}
