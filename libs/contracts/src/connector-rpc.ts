import { z } from 'zod';

export type ConnectorRpcCommand = 'ping' | 'test-connection';

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
 * account lacks admin rights, the target cannot be reached, or it works (with the account's name).
 */
export const connectionVerdictSchema = z.discriminatedUnion('ok', [
  z.object({ ok: z.literal(true), accountName: z.string() }),
  z.object({
    ok: z.literal(false),
    reason: z.enum(['bad-credentials', 'not-admin', 'unreachable', 'unexpected']),
    detail: z.string(),
  }),
]);
export type ConnectionVerdict = z.infer<typeof connectionVerdictSchema>;

/** Reply of the `test-connection` call and of the connector's `POST /test-connection`. */
export const connectorTestConnectionReplySchema = z.intersection(
  z.object({ target: z.string(), provisioningJobId: z.string(), checkedAt: z.iso.datetime() }),
  connectionVerdictSchema,
);
export type ConnectorTestConnectionReply = z.infer<typeof connectorTestConnectionReplySchema>;
