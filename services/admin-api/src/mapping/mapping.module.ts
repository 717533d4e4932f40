import { Module } from '@nestjs/common';
import { ProvisioningJobsModule } from '../provisioning-jobs/provisioning-jobs.module';
import { MappingController } from './mapping.controller';

@Module({ imports: [ProvisioningJobsModule], controllers: [MappingController] })
export class MappingModule {}
