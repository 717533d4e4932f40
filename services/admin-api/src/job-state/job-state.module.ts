import { Module } from '@nestjs/common';
import { ProvisioningJobsModule } from '../provisioning-jobs/provisioning-jobs.module';
import { JobStateController } from './job-state.controller';
import { JobStateMonitor } from './job-state.monitor';
import { JobStateService } from './job-state.service';

@Module({ imports: [ProvisioningJobsModule], controllers: [JobStateController], providers: [JobStateService, JobStateMonitor] })
export class JobStateModule {}
