import { z } from 'zod';
import { AuditAction } from './audit-record';
import { messageEnvelopeShape } from './message-envelope.schema';
import { storable } from './storable';

/**
 * Something a provisioning job's admin is told about by e-mail, in a digest (see the admin API's
 * notifications). Pipeline services write these to the shared notification_event table; the `id`
 * is derived from what the event is about, so an event recorded twice (a retried step) counts once.
 */
const base = {
  id: z.string().min(1).max(256),
  provisioningJobId: messageEnvelopeShape.provisioningJobId,
  occurredAt: messageEnvelopeShape.occurredAt,
};
/** Reasons come from error messages of any length; a mail needs their start. */
const text = z.string().transform((s) => s.slice(0, 2000));

export const notificationEventSchema = storable(
  z.discriminatedUnion('kind', [
    z.strictObject({ ...base, kind: z.literal('quarantine-entered'), quarantine: z.enum(['failures', 'fatal']), reason: text, nextProbeAt: messageEnvelopeShape.occurredAt }),
    z.strictObject({ ...base, kind: z.literal('quarantine-left'), reason: text }),
    z.strictObject({ ...base, kind: z.literal('deletions-held'), cycle: z.string().max(256), held: z.number().int().min(0), threshold: z.number().int().min(0) }),
    /** A command that failed for good (a dead letter): the user it was for and why. */
    z.strictObject({
      ...base,
      kind: z.literal('dead-letter'),
      userId: z.string().min(1).max(256),
      userName: z.string().max(512).optional(),
      action: AuditAction,
      reason: text,
      attempts: z.number().int().min(1),
    }),
  ]),
);
export type NotificationEvent = z.infer<typeof notificationEventSchema>;
export type NotificationEventKind = NotificationEvent['kind'];
