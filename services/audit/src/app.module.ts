import { DynamicModule, Module } from '@nestjs/common';
import { ClockModule, CreateAuditOutbox1765100000100, AuditOutboxBatches1766300000100, InternalAuthModule, PlatformModule, type Clock } from '@roster/platform';
import { auditConfigSchema } from './config/audit.config';
import { CreateProvisioningLog1764300000000 } from './migrations/1764300000000-create-provisioning-log';
import { PartitionProvisioningLog1766100000000 } from './migrations/1766100000000-partition-provisioning-log';
import { SlimProvisioningLogIndexes1766300000200 } from './migrations/1766300000200-slim-provisioning-log-indexes';
import { TimeIndexWithoutId1766300000300 } from './migrations/1766300000300-time-index-without-id';
import { ProvisioningLogsModule } from './provisioning-logs/provisioning-logs.module';
import { SyncProgressModule } from './sync-progress/sync-progress.module';

export const AUDIT_SERVICE = 'audit';

@Module({})
export class AuditAppModule {
  /** `clock`: the time retention, progress and the expiry of arriving records go by (tests move it). */
  static forRoot(env: Record<string, string | undefined>, options: { clock?: Clock } = {}): DynamicModule {
    return {
      module: AuditAppModule,
      imports: [
        PlatformModule.forRoot({
          service: AUDIT_SERVICE,
          configSchema: auditConfigSchema,
          env,
          // The outbox of the services whose records it stores: it deletes those it stored.
          database: { entities: [], migrations: [CreateProvisioningLog1764300000000, CreateAuditOutbox1765100000100, PartitionProvisioningLog1766100000000, AuditOutboxBatches1766300000100, SlimProvisioningLogIndexes1766300000200, TimeIndexWithoutId1766300000300] },
          produces: [],
        }),
        // Every route but health and metrics acts only for the admin API (see the README's security model).
        InternalAuthModule,
        ClockModule.forRoot(options.clock),
        ProvisioningLogsModule,
        SyncProgressModule,
      ],
    };
  }
}
