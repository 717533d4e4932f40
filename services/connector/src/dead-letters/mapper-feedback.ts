import { Inject, Injectable } from '@nestjs/common';
import { ProvisioningFeedbackType as F, QueueName, type ProvisioningCommand } from '@roster/contracts';
import { producerToken, type MessageProducer } from '@roster/platform';

/**
 * What the connector tells the mapper, which decided the commands: that one failed for good, or that
 * an admin wants a user's dead letters re-driven. The mapper, not the connector, knows the user's
 * current directory state and mapping, so it recomputes what to send.
 */
@Injectable()
export class MapperFeedback {
  constructor(
    @Inject(producerToken(QueueName.ProvisioningFeedback))
    private readonly feedback: MessageProducer<typeof QueueName.ProvisioningFeedback>,
  ) {}

  /** Keyed by the dead letter: the same command failing again is reported once. */
  deadLettered(command: ProvisioningCommand, deadLetterId: string): Promise<void> {
    return this.feedback.send({
      version: 1,
      type: F.CommandDeadLettered,
      idempotencyKey: `${command.provisioningJobId}/dead-letter-${deadLetterId}`,
      correlationId: command.correlationId,
      provisioningJobId: command.provisioningJobId,
      occurredAt: new Date().toISOString(),
      userId: command.userId,
      command: { type: command.type, idempotencyKey: command.idempotencyKey, order: command.order, decidedAt: command.occurredAt },
    });
  }

  /** One request per user, keyed by its first dead letter: a re-drive repeated after a crash is queued once. */
  redriveRequested(requests: RedriveRequest[]): Promise<void> {
    return this.feedback.sendMany(
      requests.map((r) => ({
        version: 1 as const,
        type: F.RedriveRequested,
        idempotencyKey: r.key,
        correlationId: r.correlationId,
        provisioningJobId: r.provisioningJobId,
        occurredAt: new Date().toISOString(),
        userId: r.userId,
        deadLetterIds: r.deadLetterIds,
      })),
    );
  }
}

export interface RedriveRequest {
  key: string;
  provisioningJobId: string;
  userId: string;
  correlationId: string;
  deadLetterIds: string[];
}
