import { z } from 'zod';
import { changeOrderSchema, messageEnvelopeShape } from './message-envelope.schema';
import { ProvisioningCommandType } from './provisioning-command';
import { storable } from './storable';

/**
 * What the connector tells the mapper about commands it could not apply. The mapper keeps the target
 * state it decided as if every command succeeded; without this it would, after a failure, decide the
 * next change against a state the target never reached (and send nothing, or too little).
 */
export const ProvisioningFeedbackType = {
  /** A command failed for good and was dead-lettered: the user's next decision sends the whole desired state. */
  CommandDeadLettered: 'command.dead-lettered',
  /** An admin re-drove the user's dead letters: re-decide the user now, from its current state and mapping. */
  RedriveRequested: 'user.redrive-requested',
} as const;
const F = ProvisioningFeedbackType;

const commandTypeSchema = z.enum(Object.values(ProvisioningCommandType) as [string, ...string[]]);
const base = { ...messageEnvelopeShape, userId: z.string().min(1).max(256) };

export const provisioningFeedbackSchema = storable(
  z.discriminatedUnion('type', [
    z.object({
      ...base,
      type: z.literal(F.CommandDeadLettered),
      command: z.object({
        type: commandTypeSchema,
        idempotencyKey: z.string().min(1).max(256),
        order: changeOrderSchema,
        /** When the mapper decided the command (its occurredAt). */
        decidedAt: messageEnvelopeShape.occurredAt,
      }),
    }),
    z.object({ ...base, type: z.literal(F.RedriveRequested), deadLetterIds: z.array(z.string().regex(/^\d{1,18}$/)).min(1).max(500) }),
  ]),
);
export type ProvisioningFeedback = z.infer<typeof provisioningFeedbackSchema>;
