import {
  type ContractViolationError,
  PROVISIONING_COMMAND_BATCH_MAX,
  parseEach,
  provisioningCommandSchema,
  type ProvisioningCommand,
  type ProvisioningCommandBatch,
  type ProvisioningCommandEnvelope,
} from '@roster/contracts';
import { batchIdOf, groupedBy, slicesOf } from '../batching/message-batches';

/**
 * Commands as the provisioning-commands queues carry them: per provisioning job, in batches of up to
 * 100 in the order given (a user's commands stay in order), each named after its commands' keys so
 * the same commands sent again are stored once. A command on its own is named by its key, as
 * every command was before batches.
 */
export function provisioningCommandBatches(commands: readonly ProvisioningCommand[]): ProvisioningCommandBatch[] {
  return [...groupedBy(commands, (c) => c.provisioningJobId)].flatMap(([provisioningJobId, ofJob]) =>
    slicesOf(ofJob, PROVISIONING_COMMAND_BATCH_MAX).map((slice) => ({
      version: 1 as const,
      id: slice.length === 1 ? slice[0]!.idempotencyKey : batchIdOf('commands', slice.map((c) => c.idempotencyKey)),
      provisioningJobId,
      commands: slice,
    })),
  );
}

/**
 * A command of a batch going back on the queue alone, to wait (`why`: 'deferred') or be retried
 * (`retry<attempt>`), carrying the attempts it made in its batch. Named apart from the command
 * sent on its own, which the queue may still remember.
 */
export function provisioningCommandAlone(command: ProvisioningCommand, why: string, priorAttempts: number): ProvisioningCommandBatch {
  return {
    version: 1,
    id: batchIdOf(why, [command.idempotencyKey]),
    provisioningJobId: command.provisioningJobId,
    commands: [command],
    ...(priorAttempts > 0 ? { priorAttempts } : {}),
  };
}

/**
 * A batch's commands, each checked on its own: one malformed, or of another provisioning job than
 * its batch's (whose queue and credentials are not its own), is rejected with its position.
 */
export function parseCommands(batch: ProvisioningCommandEnvelope): { valid: ProvisioningCommand[]; rejected: { index: number; error: ContractViolationError }[] } {
  const ofBatch = provisioningCommandSchema.refine((command) => command.provisioningJobId === batch.provisioningJobId, {
    path: ['provisioningJobId'],
    message: `not the batch's provisioning job "${batch.provisioningJobId}"`,
  });
  return parseEach('provisioning command', ofBatch, batch.commands);
}

/** The batch's well-formed commands (the others were rejected when it was first handled). */
export function commandsOf(batch: ProvisioningCommandEnvelope): ProvisioningCommand[] {
  return parseCommands(batch).valid;
}
