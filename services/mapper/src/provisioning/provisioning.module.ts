import { Module } from '@nestjs/common';
import { ApplyProvisioningFeedbackJob } from '../jobs/apply-provisioning-feedback.job';
import { MapAssignmentChangeJob } from '../jobs/map-assignment-change.job';
import { MappingConfigModule } from '../mapping-config/mapping-config.module';
import { MapAssignmentChangeUseCase } from './map-assignment-change.use-case';
import { MapperUserStateRepository } from './mapper-user-state.repository';

@Module({
  imports: [MappingConfigModule],
  providers: [MapperUserStateRepository, MapAssignmentChangeUseCase, MapAssignmentChangeJob, ApplyProvisioningFeedbackJob],
})
export class ProvisioningModule {}
