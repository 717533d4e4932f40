/** Every BullMQ queue Roster uses. Services import these; no queue name is spelled anywhere else. */
export const QueueName = {
  AssignmentChanges: 'assignment-changes',
  ProvisioningCommands: 'provisioning-commands',
  AuditRecords: 'audit-records',
  /** From the connector back to the mapper: commands dead-lettered, dead letters re-driven. */
  ProvisioningFeedback: 'provisioning-feedback',
} as const;
export type QueueName = (typeof QueueName)[keyof typeof QueueName];

/** Redis key prefix for BullMQ. Tests give each suite its own so queues never interfere. */
export const DEFAULT_QUEUE_PREFIX = 'roster';

/**
 * The queue of one provisioning job's commands. Producers put commands on the shared
 * ProvisioningCommands queue, an intake the connector moves each command from into its job's own
 * queue, so that one job waiting on its GoTo (rate limit, quarantine, pause) never holds another
 * job's worker slots. Job ids have no ':' (BullMQ's key separator).
 */
export function jobCommandQueueName(provisioningJobId: string): string {
  return `${QueueName.ProvisioningCommands}.${provisioningJobId}`;
}
