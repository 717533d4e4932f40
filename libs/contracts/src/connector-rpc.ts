import { z } from 'zod';

/**
 * Request/response calls to the connector over the Redis transport of @nestjs/microservices.
 * Patterns carry the queue prefix so that several Roster installations (or test suites) can share
 * one Redis without answering each other's calls.
 */
export function connectorRpcPattern(queuePrefix: string, cmd: 'ping') {
  return { ns: queuePrefix, service: 'connector', cmd };
}

export const connectorPingReplySchema = z.object({
  service: z.literal('connector'),
  target: z.string(),
  pid: z.number().int(),
  at: z.iso.datetime(),
});
export type ConnectorPingReply = z.infer<typeof connectorPingReplySchema>;
