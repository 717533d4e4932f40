import { Module } from '@nestjs/common';
import { ProvisioningJobsModule } from '../provisioning-jobs/provisioning-jobs.module';
import { ProvisionOnDemandController } from './provision-on-demand.controller';
import { ProvisionOnDemandService } from './provision-on-demand.service';

@Module({ imports: [ProvisioningJobsModule], controllers: [ProvisionOnDemandController], providers: [ProvisionOnDemandService] })
export class ProvisionOnDemandModule {}
