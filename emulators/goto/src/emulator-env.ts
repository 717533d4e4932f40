import { z } from 'zod';
import type { GotoEmulatorOptions } from './emulator-options';
import { DEFAULT_RATE_LIMIT } from './emulator-options';

const envSchema = z.object({
  GOTO_EMULATOR_PORT: z.coerce.number().int().min(0).max(65535).default(4100),
  GOTO_EMULATOR_HOST: z.string().min(1).default('127.0.0.1'),
  /** Comma-separated. */
  GOTO_EMULATOR_VERIFIED_DOMAINS: z.string().min(1).default('example.com'),
  /** Requests per second per API family and client, or 'unthrottled'. */
  GOTO_EMULATOR_RATE_LIMIT: z.union([z.literal('unthrottled'), z.coerce.number().int().min(1)]).optional(),
  /** `false`: a GoTo that answers SCIM and OAuth only (every Admin REST path 404). */
  GOTO_EMULATOR_ADMIN_API: z.enum(['true', 'false']).default('true'),
  /** `true`: SCIM answers 403 for a bad token and 401 for a missing role, as the Citrix spec does. */
  GOTO_EMULATOR_CITRIX_STATUS_CODES: z.enum(['true', 'false']).default('false'),
  GOTO_EMULATOR_TOKEN_TTL_SECONDS: z.coerce.number().positive().default(3600),
});

export interface EmulatorEnv {
  port: number;
  options: GotoEmulatorOptions;
}

/** Reads the emulator's settings once; a bad variable stops start-up with its name in the message. */
export function readEmulatorEnv(env: NodeJS.ProcessEnv): EmulatorEnv {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) throw new Error(`Invalid GoTo emulator environment:\n${z.prettifyError(parsed.error)}`);
  const { GOTO_EMULATOR_PORT, GOTO_EMULATOR_HOST, GOTO_EMULATOR_VERIFIED_DOMAINS, GOTO_EMULATOR_RATE_LIMIT } = parsed.data;
  const { GOTO_EMULATOR_ADMIN_API, GOTO_EMULATOR_CITRIX_STATUS_CODES, GOTO_EMULATOR_TOKEN_TTL_SECONDS } = parsed.data;
  const rateLimit =
    GOTO_EMULATOR_RATE_LIMIT === undefined || GOTO_EMULATOR_RATE_LIMIT === 'unthrottled'
      ? (GOTO_EMULATOR_RATE_LIMIT ?? DEFAULT_RATE_LIMIT)
      : { perSecond: GOTO_EMULATOR_RATE_LIMIT, retryAfterSeconds: 1 };
  return {
    port: GOTO_EMULATOR_PORT,
    options: {
      host: GOTO_EMULATOR_HOST,
      verifiedDomains: GOTO_EMULATOR_VERIFIED_DOMAINS.split(',').map((domain) => domain.trim()).filter(Boolean),
      rateLimit,
      adminApi: GOTO_EMULATOR_ADMIN_API === 'true',
      citrixStatusCodes: GOTO_EMULATOR_CITRIX_STATUS_CODES === 'true',
      tokenTtlSeconds: GOTO_EMULATOR_TOKEN_TTL_SECONDS,
    },
  };
}
