import { Module } from '@nestjs/common';
import { MappingConfigModule } from '../mapping-config/mapping-config.module';
import { ProvisioningModule } from '../provisioning/provisioning.module';
import { ApplyProvisioningFeedbackJob } from './apply-provisioning-feedback.job';
import { MapAssignmentChangeJob } from './map-assignment-change.job';

/** The mapper's queue workers: assignment changes, and the connector's feedback. */
@Module({
  imports: [ProvisioningModule, MappingConfigModule],
  providers: [MapAssignmentChangeJob, ApplyProvisioningFeedbackJob],
})
export class JobsModule {}
