import type { z } from 'zod';
import { assignmentChangeBatchSchema } from './assignment-change.event';
import { auditBatchSchema } from './audit-record';
import { provisioningCommandBatchSchema } from './provisioning-command';
import { provisioningFeedbackSchema } from './provisioning-feedback';
import { QueueName } from './queue-names';

/**
 * Which message schema each queue carries. Producers and consumers both look their schema up here,
 * so a message is checked on both sides of every queue against the same contract.
 */
export const queueContracts = {
  [QueueName.AssignmentChanges]: assignmentChangeBatchSchema,
  [QueueName.ProvisioningCommands]: provisioningCommandBatchSchema,
  [QueueName.AuditRecords]: auditBatchSchema,
  [QueueName.ProvisioningFeedback]: provisioningFeedbackSchema,
} satisfies Record<QueueName, z.ZodType>;

export type QueueMessage<Q extends QueueName> = z.infer<(typeof queueContracts)[Q]>;
