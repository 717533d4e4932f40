import { Module } from '@nestjs/common';
import { ApprovalNotifier } from '../deletion-guard/approval-notifier';
import { DeletionGuardService } from '../deletion-guard/deletion-guard.service';
import { UnfinishedCycleSweeper } from '../deletion-guard/unfinished-cycle.sweeper';
import { JobConfigService } from './job-config.service';
import { MappingConfigController } from './mapping-config.controller';
import { MappingConfigRepository } from './mapping-config.repository';
import { RescopeService } from './rescope.service';

@Module({
  controllers: [MappingConfigController],
  providers: [MappingConfigRepository, JobConfigService, RescopeService, DeletionGuardService, ApprovalNotifier, UnfinishedCycleSweeper],
  exports: [JobConfigService, DeletionGuardService],
})
export class MappingConfigModule {}
