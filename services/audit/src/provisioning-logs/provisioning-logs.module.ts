import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { RecordAuditJob } from '../jobs/record-audit.job';
import { ProvisioningLogEntity } from './provisioning-log.entity';
import { ProvisioningLogRepository } from './provisioning-log.repository';
import { ProvisioningLogsController } from './provisioning-logs.controller';

@Module({
  imports: [TypeOrmModule.forFeature([ProvisioningLogEntity])],
  controllers: [ProvisioningLogsController],
  providers: [ProvisioningLogRepository, RecordAuditJob],
})
export class ProvisioningLogsModule {}
