import { z } from 'zod';
import { licenseCheckSchema } from './license-check.schema';

export type ConnectorRpcCommand = 'ping' | 'test-connection' | 'reconcile';

/**
 * Request/response calls to the connector over the Redis transport of @nestjs/microservices.
 * Patterns carry the queue prefix so that several Roster installations (or test suites) can share
 * one Redis without answering each other's calls.
 */
export function connectorRpcPattern(queuePrefix: string, cmd: ConnectorRpcCommand) {
  return { ns: queuePrefix, service: 'connector', cmd };
}

export const connectorPingReplySchema = z.object({
  service: z.literal('connector'),
  target: z.string(),
  pid: z.number().int(),
  at: z.iso.datetime(),
});
export type ConnectorPingReply = z.infer<typeof connectorPingReplySchema>;

/**
 * The outcome of a Test Connection, specific enough to act on: the credentials are wrong, the
 * account lacks admin rights, the target cannot be reached, or it works. The account name comes from
 * an optional API (GoTo's Admin REST API), so it is null when that API did not answer; `notes` say
 * what could not be checked and why, without failing the verdict.
 */
export const connectionVerdictSchema = z.discriminatedUnion('ok', [
  z.object({ ok: z.literal(true), accountName: z.string().nullable(), notes: z.array(z.string()) }),
  z.object({
    ok: z.literal(false),
    reason: z.enum(['bad-credentials', 'not-admin', 'unreachable', 'unexpected']),
    detail: z.string(),
  }),
]);
export type ConnectionVerdict = z.infer<typeof connectionVerdictSchema>;

/** Request of the `test-connection` call and body of `POST /test-connection` (both optional). */
export const connectorTestConnectionRequestSchema = z
  .strictObject({
    /** End the job's quarantine when the verdict is OK; without it a Test Connection only reports. */
    resume: z.boolean().default(false),
  })
  .default({ resume: false });
export type ConnectorTestConnectionRequest = z.infer<typeof connectorTestConnectionRequestSchema>;

/** The job's quarantine as a Test Connection leaves it (null: not quarantined). */
export const connectionQuarantineSchema = z.object({
  kind: z.enum(['failures', 'fatal']),
  reason: z.string(),
  since: z.iso.datetime(),
  nextProbeAt: z.iso.datetime(),
});

/**
 * What an admin's Test Connection found beyond the verdict, one optional section per check of the
 * connector (absent when the check did not run: the verdict was not OK, or it was a probe).
 */
export const connectionSectionsSchema = z.object({
  /** The job's license mapping against the account's licenses, with free seats. */
  licenses: licenseCheckSchema.optional(),
  /**
   * The target's user schema as just read (and stored as its target profile): the attribute paths a
   * mapping may write, or `published: false` when the target offers no `/Schemas`, in which case
   * mappings are checked against GoTo's documented attributes.
   */
  schema: z.object({ published: z.boolean(), userAttributes: z.array(z.string()).nullable() }).optional(),
});
export type ConnectionSections = z.infer<typeof connectionSectionsSchema>;

/** Reply of the `test-connection` call and of the connector's `POST /test-connection`. */
export const connectorTestConnectionReplySchema = z.intersection(
  z
    .object({
      target: z.string(),
      provisioningJobId: z.string(),
      checkedAt: z.iso.datetime(),
      quarantine: connectionQuarantineSchema.nullable(),
    })
    .extend(connectionSectionsSchema.shape),
  connectionVerdictSchema,
);
export type ConnectorTestConnectionReply = z.infer<typeof connectorTestConnectionReplySchema>;

/**
 * A Test Connection asked for too soon after the last one of the same job (HTTP 429 with Retry-After,
 * or the error of the `test-connection` call): it would spend GoTo's rate limit, which provisioning
 * shares. `last` is the reply of the run that holds the slot, once it has finished.
 */
export const connectorTestConnectionThrottledSchema = z.object({
  error: z.literal('test-connection-throttled'),
  message: z.string(),
  retryAfterSeconds: z.number().int().min(1),
  last: connectorTestConnectionReplySchema.optional(),
});
export type ConnectorTestConnectionThrottled = z.infer<typeof connectorTestConnectionThrottledSchema>;
