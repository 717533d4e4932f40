import { Module } from '@nestjs/common';
import { ProvisioningJobsModule } from '../provisioning-jobs/provisioning-jobs.module';
import { HeldDeletionsController } from './held-deletions.controller';

@Module({ imports: [ProvisioningJobsModule], controllers: [HeldDeletionsController] })
export class HeldDeletionsModule {}
