import { DynamicModule, Module } from '@nestjs/common';
import { QueueName } from '@roster/contracts';
import { CreateAuditOutbox1765100000100, AuditOutboxBatches1766300000100, InternalAuthModule, PlatformModule } from '@roster/platform';
import { mapperConfigSchema } from './config/mapper.config';
import { CreateMapperUserState1764300000300 } from './migrations/1764300000300-create-mapper-user-state';
import { MappingConfigAndHolds1764300000500 } from './migrations/1764300000500-mapping-config-and-holds';
import { AddFailedCommandToUserState1764300000940 } from './migrations/1764300000940-add-failed-command-to-user-state';
import { AddRolesAndLicensesToUserState1764300001300 } from './migrations/1764300001300-add-roles-and-licenses-to-user-state';
import { DefaultMappingDocumentedAttributes1764300001400 } from './migrations/1764300001400-default-mapping-documented-attributes';
import { AddLeftGroupsToUserState1765200000200 } from './migrations/1765200000200-add-left-groups-to-user-state';
import { JobsModule } from './jobs/jobs.module';

export const MAPPER_SERVICE = 'mapper';

@Module({})
export class MapperAppModule {
  static forRoot(env: Record<string, string | undefined>): DynamicModule {
    return {
      module: MapperAppModule,
      imports: [
        PlatformModule.forRoot({
          service: MAPPER_SERVICE,
          configSchema: mapperConfigSchema,
          env,
          database: {
            entities: [],
            migrations: [
              CreateMapperUserState1764300000300,
              MappingConfigAndHolds1764300000500,
              AddFailedCommandToUserState1764300000940,
              AddRolesAndLicensesToUserState1764300001300,
              DefaultMappingDocumentedAttributes1764300001400,
              CreateAuditOutbox1765100000100,
              AuditOutboxBatches1766300000100,
              AddLeftGroupsToUserState1765200000200,
            ],
          },
          // Re-evaluations after a mapping change go through the mapper's own input queue.
          produces: [QueueName.ProvisioningCommands, QueueName.AssignmentChanges],
        }),
        // Every route but health and metrics acts only for the admin API (see the README's security model).
        InternalAuthModule,
        JobsModule,
      ],
    };
  }
}
