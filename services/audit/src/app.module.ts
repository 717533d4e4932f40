import { DynamicModule, Module } from '@nestjs/common';
import { InternalAuthModule, PlatformModule } from '@roster/platform';
import { auditConfigSchema } from './config/audit.config';
import { CreateProvisioningLog1764300000000 } from './migrations/1764300000000-create-provisioning-log';
import { ProvisioningLogEntity } from './provisioning-logs/provisioning-log.entity';
import { ProvisioningLogsModule } from './provisioning-logs/provisioning-logs.module';

export const AUDIT_SERVICE = 'audit';

@Module({})
export class AuditAppModule {
  static forRoot(env: Record<string, string | undefined>): DynamicModule {
    return {
      module: AuditAppModule,
      imports: [
        PlatformModule.forRoot({
          service: AUDIT_SERVICE,
          configSchema: auditConfigSchema,
          env,
          database: { entities: [ProvisioningLogEntity], migrations: [CreateProvisioningLog1764300000000] },
          produces: [],
        }),
        // Every route but health and metrics acts only for the admin API (see the README's security model).
        InternalAuthModule,
        ProvisioningLogsModule,
      ],
    };
  }
}
