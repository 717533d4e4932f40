import { DynamicModule, Module } from '@nestjs/common';
import { type Clock, ClockModule, PlatformModule, type ServiceAppOptions } from '@roster/platform';
import { ApiKeysModule } from './api-keys/api-keys.module';
import { AuditLogsModule } from './audit-logs/audit-logs.module';
import { AuthModule } from './auth/auth.module';
import { adminApiConfigSchema } from './config/admin-api.config';
import { ConsoleModule } from './console/console.module';
import { CredentialsModule } from './credentials/credentials.module';
import { DeadLettersModule } from './dead-letters/dead-letters.module';
import { DemoDirectoryModule } from './demo-directory/demo-directory.module';
import { DocsModule } from './docs/docs.module';
import { DryRunModule } from './dry-run/dry-run.module';
import { HeldDeletionsModule } from './held-deletions/held-deletions.module';
import { JsonBodyModule } from './http/json-body.module';
import { JobStateModule } from './job-state/job-state.module';
import { MappingModule } from './mapping/mapping.module';
import { CreateAdminTables1765000000000 } from './migrations/1765000000000-create-admin-tables';
import { PipelineModule } from './pipeline/pipeline.module';
import { CreateNotificationDigest1765000000300 } from './migrations/1765000000300-create-notification-digest';
import { CreateDryRun1765000000400 } from './migrations/1765000000400-create-dry-run';
import { DryRunHeartbeat1765000000500 } from './migrations/1765000000500-dry-run-heartbeat';
import { NotificationsModule } from './notifications/notifications.module';
import { ProvisionOnDemandModule } from './provision-on-demand/provision-on-demand.module';
import { ProvisioningJobsModule } from './provisioning-jobs/provisioning-jobs.module';
import { ReconciliationModule } from './reconciliation/reconciliation.module';
import { QueueDashboardModule } from './queue-dashboard/queue-dashboard.module';

export const ADMIN_API_SERVICE = 'admin-api';

/** The admin API parses bodies itself (JsonBodyMiddleware): JSON only, with its own limit and errors. */
export const ADMIN_API_APP_OPTIONS: ServiceAppOptions = { bodyParser: false };

@Module({})
export class AdminApiAppModule {
  /** `clock` is for tests, which step through rate-limit windows and digest periods. */
  static forRoot(env: Record<string, string | undefined>, options: { clock?: Clock } = {}): DynamicModule {
    return {
      module: AdminApiAppModule,
      imports: [
        PlatformModule.forRoot({
          service: ADMIN_API_SERVICE,
          configSchema: adminApiConfigSchema,
          env,
          database: { entities: [], migrations: [CreateAdminTables1765000000000, CreateNotificationDigest1765000000300, CreateDryRun1765000000400, DryRunHeartbeat1765000000500], poolSize: 5 },
          produces: [],
        }),
        ClockModule.forRoot(options.clock),
        JsonBodyModule,
        AuthModule,
        ApiKeysModule,
        ProvisioningJobsModule,
        PipelineModule,
        MappingModule,
        ProvisionOnDemandModule,
        DryRunModule,
        CredentialsModule,
        JobStateModule,
        HeldDeletionsModule,
        DeadLettersModule,
        ReconciliationModule,
        DemoDirectoryModule,
        AuditLogsModule,
        DocsModule,
        QueueDashboardModule,
        NotificationsModule,
        ConsoleModule,
      ],
    };
  }
}
