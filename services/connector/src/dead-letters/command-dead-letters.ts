import { Injectable } from '@nestjs/common';
import { auditActionOfCommand, type ProvisioningCommand } from '@roster/contracts';
import { NotificationEvents } from '@roster/platform';
import { DeadLetterMetrics } from './dead-letter.metrics';
import { DeadLetterRepository, type DeadLetter } from './dead-letter.repository';
import { MapperFeedback } from './mapper-feedback';

/**
 * A command that failed for good: kept for an admin, reported to the mapper that decided it, and to
 * the job's admins in the next notification digest.
 */
@Injectable()
export class CommandDeadLetters {
  constructor(
    private readonly repository: DeadLetterRepository,
    private readonly feedback: MapperFeedback,
    private readonly notifications: NotificationEvents,
    private readonly metrics: DeadLetterMetrics,
  ) {}

  async add(command: ProvisioningCommand, failure: { reason: string; error: DeadLetter['error']; attempts: number }): Promise<void> {
    const id = await this.repository.add(command, failure);
    this.metrics.deadLettered(command.provisioningJobId);
    await this.feedback.deadLettered(command, id);
    await this.notifications.record({
      id: `dead-letter/${command.idempotencyKey}`,
      provisioningJobId: command.provisioningJobId,
      occurredAt: new Date().toISOString(),
      kind: 'dead-letter',
      userId: command.userId,
      userName: command.matching[0].value,
      action: auditActionOfCommand[command.type],
      reason: failure.reason,
      attempts: failure.attempts,
    });
  }
}
