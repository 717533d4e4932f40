import { Module } from '@nestjs/common';
import { DefaultJobSeeder } from './default-job.seeder';
import { ProvisioningJobRepository } from './provisioning-job.repository';
import { ProvisioningJobsController } from './provisioning-jobs.controller';
import { ProvisioningJobsService } from './provisioning-jobs.service';

@Module({
  controllers: [ProvisioningJobsController],
  providers: [ProvisioningJobRepository, ProvisioningJobsService, DefaultJobSeeder],
})
export class ProvisioningJobsModule {}
