import { Module } from '@nestjs/common';
import { ProvisioningJobsModule } from '../provisioning-jobs/provisioning-jobs.module';
import { AuditLogsController } from './audit-logs.controller';
import { SyncProgressController } from './sync-progress.controller';

/** The provisioning log, its export and each job's sync progress, answered by the audit service behind the admin API's guard. */
@Module({
  imports: [ProvisioningJobsModule],
  controllers: [AuditLogsController, SyncProgressController],
})
export class AuditLogsModule {}
