import { Module } from '@nestjs/common';
import { AuditLogsController } from '../audit-logs/audit-logs.controller';
import { LogExports } from '../audit-logs/log-exports.service';
import { RecordAuditJob } from '../jobs/record-audit.job';
import { LogPartitions } from '../partitions/log-partitions.service';
import { LogRetention } from '../retention/log-retention.service';
import { ProvisioningLogRepository } from './provisioning-log.repository';
import { ProvisioningLogsController } from './provisioning-logs.controller';

/** The provisioning log: stored from the audit queue, kept for its retention, read through both APIs. */
@Module({
  controllers: [AuditLogsController, ProvisioningLogsController],
  providers: [ProvisioningLogRepository, LogPartitions, LogRetention, LogExports, RecordAuditJob],
  exports: [ProvisioningLogRepository],
})
export class ProvisioningLogsModule {}
