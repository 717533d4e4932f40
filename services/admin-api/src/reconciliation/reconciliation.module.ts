import { Module } from '@nestjs/common';
import { ProvisioningJobsModule } from '../provisioning-jobs/provisioning-jobs.module';
import { ReconciliationController } from './reconciliation.controller';

@Module({ imports: [ProvisioningJobsModule], controllers: [ReconciliationController] })
export class ReconciliationModule {}
