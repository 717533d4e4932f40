import { Module } from '@nestjs/common';
import { ProvisioningJobsModule } from '../provisioning-jobs/provisioning-jobs.module';
import { DeadLettersController } from './dead-letters.controller';

@Module({ imports: [ProvisioningJobsModule], controllers: [DeadLettersController] })
export class DeadLettersModule {}
