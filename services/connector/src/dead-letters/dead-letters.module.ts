import { Module } from '@nestjs/common';
import { CommandDeadLetters } from './command-dead-letters';
import { DeadLetterMetrics } from './dead-letter.metrics';
import { DeadLetterRepository } from './dead-letter.repository';
import { DeadLettersController } from './dead-letters.controller';
import { MapperFeedback } from './mapper-feedback';
import { RedriveService } from './redrive.service';

/**
 * The dead-letter queue is a PostgreSQL table, not a BullMQ queue: admins list it with filters and
 * pages and re-drive by filter, which a queue cannot answer; entries stay until handled (BullMQ's
 * failed set is trimmed by age and count); and marking an entry re-driven is one transaction with
 * taking it, so two admins never send one entry twice. Each dead letter is reported to the mapper,
 * and a re-drive asks the mapper to recompute the user rather than sending the dead command again.
 */
@Module({
  controllers: [DeadLettersController],
  providers: [DeadLetterRepository, RedriveService, MapperFeedback, CommandDeadLetters, DeadLetterMetrics],
  exports: [DeadLetterRepository, CommandDeadLetters],
})
export class DeadLettersModule {}
