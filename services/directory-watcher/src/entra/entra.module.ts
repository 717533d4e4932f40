import { DynamicModule, Module } from '@nestjs/common';
import { EntraWebhook } from './entra-webhook';
import { GraphNotificationsController } from './graph-notifications.controller';

/**
 * Entra ID as a job's directory: Graph reads into a PostgreSQL mirror, woken by change
 * notifications. Each job's source is made by the sync module from the job's settings (see
 * EntraJobSource); this module holds what the installation has once, the notifications route.
 */
@Module({})
export class EntraModule {
  /** The route is public (Graph cannot present the internal credential), so it is served only with ENTRA_WEBHOOK_URL set. */
  static forRoot(webhook: boolean): DynamicModule {
    return { module: EntraModule, controllers: webhook ? [GraphNotificationsController] : [], providers: [EntraWebhook], exports: [EntraWebhook] };
  }
}
