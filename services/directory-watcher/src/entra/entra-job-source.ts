import { GraphClient } from '@roster/graph-client';
import type { HttpExchangeRecorder } from '@roster/platform';
import type { Server } from 'node:http';
import type { DataSource } from 'typeorm';
import { EntraAssignments } from './entra-assignments';
import { EntraChangeSignal } from './entra-change-signal';
import { EntraDirectorySource } from './entra-directory.source';
import { EntraJournalRepository } from './entra-journal.repository';
import { EntraMirrorRepository } from './entra-mirror.repository';
import type { EntraSettings } from './entra-settings';
import { GraphSubscriptions } from './graph-subscriptions.service';

/**
 * One job's Entra ID source with everything it reads through: its own Graph client (its tenant and
 * credentials), its part of the mirror, and the webhook's subscriptions when it has them. Made when
 * the job starts or its source settings change, closed when they change again or the job goes.
 */
export class EntraJobSource {
  readonly source: EntraDirectorySource;
  readonly signal = new EntraChangeSignal();
  readonly subscriptions: GraphSubscriptions | undefined;
  private readonly assignments: EntraAssignments;

  constructor(settings: EntraSettings, db: DataSource, exchanges: HttpExchangeRecorder) {
    const graph = new GraphClient({
      endpoints: { loginUrl: settings.loginUrl, graphUrl: settings.graphUrl },
      credentials: { tenantId: settings.tenantId, clientId: settings.clientId, clientSecret: settings.clientSecret },
      pageSize: settings.pageSize,
      maxConcurrency: settings.maxConcurrency,
      onExchange: exchanges.hook('graph'),
    });
    const mirror = new EntraMirrorRepository(db, settings);
    this.assignments = new EntraAssignments(graph, mirror, this.signal, settings);
    this.source = new EntraDirectorySource(graph, mirror, new EntraJournalRepository(db, settings), this.assignments, this.signal, settings);
    this.subscriptions = settings.webhook && new GraphSubscriptions(graph, this.signal, settings.webhook);
  }

  /** `server`: where Graph's validation of the webhook URL arrives, once it listens. */
  start(server: Server): void {
    this.subscriptions?.start(server);
  }

  async stop(): Promise<void> {
    await this.subscriptions?.stop();
    await this.assignments.stop();
  }
}
