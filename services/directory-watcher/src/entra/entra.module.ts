import { Module } from '@nestjs/common';
import { GraphClient } from '@roster/graph-client';
import { HttpExchangeRecorder, SERVICE_CONFIG } from '@roster/platform';
import type { WatcherConfig } from '../config/watcher.config';
import { DIRECTORY_SOURCE } from '../source/directory-source.token';
import { EntraAssignments } from './entra-assignments';
import { EntraChangeSignal } from './entra-change-signal';
import { EntraDirectorySource } from './entra-directory.source';
import { EntraJournalRepository } from './entra-journal.repository';
import { EntraMirrorRepository } from './entra-mirror.repository';
import { GraphNotificationsController } from './graph-notifications.controller';
import { GraphSubscriptions } from './graph-subscriptions.service';

/** Entra ID as the watcher's directory: Graph reads into a PostgreSQL mirror, woken by change notifications. */
@Module({
  controllers: [GraphNotificationsController],
  providers: [
    {
      provide: GraphClient,
      inject: [SERVICE_CONFIG, HttpExchangeRecorder],
      // The config schema requires the ENTRA_* credentials when DIRECTORY_SOURCE=entra.
      useFactory: (c: WatcherConfig, exchanges: HttpExchangeRecorder) =>
        new GraphClient({
          endpoints: { loginUrl: c.GRAPH_LOGIN_URL, graphUrl: c.GRAPH_URL },
          credentials: { tenantId: c.ENTRA_TENANT_ID!, clientId: c.ENTRA_CLIENT_ID!, clientSecret: c.ENTRA_CLIENT_SECRET! },
          pageSize: c.GRAPH_PAGE_SIZE,
          maxConcurrency: c.GRAPH_MAX_CONCURRENCY,
          onExchange: exchanges.hook('graph'),
        }),
    },
    EntraChangeSignal,
    EntraMirrorRepository,
    EntraJournalRepository,
    EntraAssignments,
    EntraDirectorySource,
    GraphSubscriptions,
    { provide: DIRECTORY_SOURCE, useExisting: EntraDirectorySource },
  ],
  exports: [DIRECTORY_SOURCE],
})
export class EntraModule {}
