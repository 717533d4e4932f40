import { Module } from '@nestjs/common';
import { DeadLettersModule } from '../dead-letters/dead-letters.module';
import { GotoModule } from '../goto/goto.module';
import { DESIRED_STATE_SOURCE, UserLinkDesiredState } from './desired-state.source';
import { GroupStrangers } from './group-strangers';
import { ReconciliationRunRepository } from './reconciliation-run.repository';
import { ReconciliationController } from './reconciliation.controller';
import { ReconciliationScheduler } from './reconciliation.scheduler';
import { ReconciliationService } from './reconciliation.service';

@Module({
  imports: [GotoModule, DeadLettersModule],
  controllers: [ReconciliationController],
  providers: [
    ReconciliationService,
    ReconciliationRunRepository,
    ReconciliationScheduler,
    GroupStrangers,
    { provide: DESIRED_STATE_SOURCE, useClass: UserLinkDesiredState },
  ],
  exports: [ReconciliationService],
})
export class ReconciliationModule {}
