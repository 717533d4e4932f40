import { Module } from '@nestjs/common';
import { AuditOutboxModule } from '@roster/platform';
import { MappingConfigModule } from '../mapping-config/mapping-config.module';
import { MapAssignmentChangeUseCase } from './map-assignment-change.use-case';
import { MapperUserStateRepository } from './mapper-user-state.repository';
import { DryRunController } from './dry-run.controller';
import { MappingPreviewController } from './mapping-preview.controller';

/** What a change of a user's assignment means for GoTo, and the users' mapped state. */
@Module({
  imports: [AuditOutboxModule, MappingConfigModule],
  controllers: [MappingPreviewController, DryRunController],
  providers: [MapperUserStateRepository, MapAssignmentChangeUseCase],
  exports: [MapperUserStateRepository, MapAssignmentChangeUseCase],
})
export class ProvisioningModule {}
