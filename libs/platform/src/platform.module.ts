import { DynamicModule, Module } from '@nestjs/common';
import type { QueueName } from '@roster/contracts';
import type { z } from 'zod';
import { AuditEmitterModule } from './audit/audit.module';
import type { BaseConfig } from './config/config.loader';
import { ServiceConfigModule } from './config/config.module';
import { DatabaseModule, type DatabaseModuleOptions } from './database/database.module';
import { HealthModule } from './health/health.module';
import { HttpInputModule } from './http/http-input.module';
import { LoggingModule } from './logging/logging.module';
import { MetricsModule } from './metrics/metrics.module';
import { CreateNotificationEvent1765000000200 } from './notifications/notification-event.migration';
import { NotificationEventsModule } from './notifications/notification-events';
import { TracingModule } from './observability/tracing.module';
import { QueueModule } from './queue/queue.module';
import { JobRecordsModule } from './provisioning-jobs/job-records.module';
import { AddProvisioningJobStateDetail1765200000100 } from './provisioning-jobs/job-state-detail.migration';
import { CreateProvisioningJob1765000000100 } from './provisioning-jobs/provisioning-job.migration';
import { CreateQueueEpoch1764300003000 } from './queue-epoch/queue-epoch.migration';
import { RedisModule } from './redis/redis.module';

export interface PlatformOptions<S extends z.ZodType<BaseConfig>> {
  service: string;
  configSchema: S;
  env: Record<string, string | undefined>;
  database: DatabaseModuleOptions;
  produces: QueueName[];
}

/** What every Roster service stands on: config, logs, metrics, health, Redis, PostgreSQL, queues, audit. */
@Module({})
export class PlatformModule {
  static forRoot<S extends z.ZodType<BaseConfig>>(options: PlatformOptions<S>): DynamicModule {
    return {
      module: PlatformModule,
      imports: [
        ServiceConfigModule.forRoot(options.service, options.configSchema, options.env),
        TracingModule,
        LoggingModule,
        MetricsModule,
        RedisModule,
        // Every service remembers the queue epoch, in tables all of them share (see QueueEpochMonitor),
        // reads the provisioning jobs (see JobCatalog) and records what admins are mailed (NotificationEvents).
        DatabaseModule.forRoot({
          ...options.database,
          migrations: [
            ...options.database.migrations,
            CreateQueueEpoch1764300003000,
            CreateProvisioningJob1765000000100,
            CreateNotificationEvent1765000000200,
            AddProvisioningJobStateDetail1765200000100,
          ],
        }),
        JobRecordsModule,
        NotificationEventsModule,
        HealthModule,
        HttpInputModule,
        QueueModule.forRoot(options.produces),
        AuditEmitterModule,
      ],
      exports: [DatabaseModule],
    };
  }
}
