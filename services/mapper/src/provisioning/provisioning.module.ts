import { Module } from '@nestjs/common';
import { MapAssignmentChangeJob } from '../jobs/map-assignment-change.job';
import { MapAssignmentChangeUseCase } from './map-assignment-change.use-case';
import { MapperUserStateRepository } from './mapper-user-state.repository';

@Module({ providers: [MapperUserStateRepository, MapAssignmentChangeUseCase, MapAssignmentChangeJob] })
export class ProvisioningModule {}
