import { Module } from '@nestjs/common';
import { ApprovalNotifier } from '../deletion-guard/approval-notifier';
import { DeletionGuardService } from '../deletion-guard/deletion-guard.service';
import { UnfinishedCycleSweeper } from '../deletion-guard/unfinished-cycle.sweeper';
import { TargetProfileModule } from '../target-profile/target-profile.module';
import { JobConfigService } from './job-config.service';
import { LicenseKeyValidator } from './license-key.validator';
import { MappingConfigController } from './mapping-config.controller';
import { MappingConfigRepository } from './mapping-config.repository';
import { RescopeService } from './rescope.service';

@Module({
  imports: [TargetProfileModule],
  controllers: [MappingConfigController],
  providers: [MappingConfigRepository, JobConfigService, LicenseKeyValidator, RescopeService, DeletionGuardService, ApprovalNotifier, UnfinishedCycleSweeper],
  exports: [JobConfigService, DeletionGuardService],
})
export class MappingConfigModule {}
