import { Injectable } from '@nestjs/common';
import type { ProvisioningCommand } from '@roster/contracts';
import { DeadLetterRepository, type DeadLetter } from './dead-letter.repository';
import { MapperFeedback } from './mapper-feedback';

/** A command that failed for good: kept for an admin, and reported to the mapper that decided it. */
@Injectable()
export class CommandDeadLetters {
  constructor(
    private readonly repository: DeadLetterRepository,
    private readonly feedback: MapperFeedback,
  ) {}

  async add(command: ProvisioningCommand, failure: { reason: string; error: DeadLetter['error']; attempts: number }): Promise<void> {
    const id = await this.repository.add(command, failure);
    await this.feedback.deadLettered(command, id);
  }
}
