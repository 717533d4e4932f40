import { Module } from '@nestjs/common';
import { DefaultJobSeeder } from './default-job.seeder';
import { JobChangeAnnouncer } from './job-change.announcer';
import { KnownJobPipe } from './known-job.pipe';
import { ProvisioningJobsController } from './provisioning-jobs.controller';
import { ProvisioningJobsService } from './provisioning-jobs.service';

@Module({
  controllers: [ProvisioningJobsController],
  providers: [JobChangeAnnouncer, ProvisioningJobsService, DefaultJobSeeder, KnownJobPipe],
  exports: [JobChangeAnnouncer, ProvisioningJobsService, KnownJobPipe],
})
export class ProvisioningJobsModule {}
