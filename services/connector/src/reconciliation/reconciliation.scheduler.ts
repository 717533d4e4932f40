import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { QueueEpochMonitor, QueueIncident, SERVICE_CONFIG, errorMessage, type NoticedIncident } from '@roster/platform';
import type { ConnectorConfig } from '../config/connector.config';
import { ConnectorJob } from '../job-settings/connector-job';
import { ReconciliationBusyError } from './reconciliation-busy.error';
import { ReconciliationRunRepository } from './reconciliation-run.repository';
import { ReconciliationService } from './reconciliation.service';

/**
 * Starts the runs nobody asks for: after Redis lost its queues (queued commands may be gone, and
 * with them writes GoTo never got), and every
 * GOTO_RECONCILE_INTERVAL_MS (0: never). Every replica keeps the timer,
 * but a run is due only when no run of the job (any replica's, on demand too) started within the
 * interval, and the run's lock lets one replica in at a time: one run per interval, never two at once.
 * The first is due one interval after start, so starting replicas does not hit GoTo.
 */
@Injectable()
export class ReconciliationScheduler implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(ReconciliationScheduler.name);
  private timer: NodeJS.Timeout | null = null;
  private stopped = false;

  constructor(
    private readonly reconciliation: ReconciliationService,
    private readonly runs: ReconciliationRunRepository,
    @Inject(SERVICE_CONFIG) private readonly config: ConnectorConfig,
    private readonly job: ConnectorJob,
    epoch: QueueEpochMonitor,
  ) {
    epoch.onIncident((incident) => this.afterIncident(incident));
  }

  /**
   * After Redis lost its queues, PostgreSQL still holds what the connector applied: GoTo is brought
   * back to it while the watcher's restatement brings the newer state. Not after a PostgreSQL
   * restore: its link rows are older than GoTo, and repairing GoTo to them would undo newer work
   * (re-create accounts deleted since the backup); the restatement alone converges. A run of
   * another replica (or one already under way) serves the incident as well.
   */
  private async afterIncident({ incident }: NoticedIncident): Promise<void> {
    if (incident === QueueIncident.PostgresRestored) return;
    try {
      await this.reconciliation.start({ dryRun: false, reason: `queue incident: ${incident}` }, 'incident');
    } catch (error) {
      if (!(error instanceof ReconciliationBusyError)) throw error;
    }
  }

  onApplicationBootstrap(): void {
    if (this.config.GOTO_RECONCILE_INTERVAL_MS > 0) this.schedule(this.config.GOTO_RECONCILE_INTERVAL_MS);
  }

  onApplicationShutdown(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
  }

  private schedule(ms: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => void this.tick(), ms);
    this.timer.unref();
  }

  private async tick(): Promise<void> {
    const interval = this.config.GOTO_RECONCILE_INTERVAL_MS;
    let next = interval;
    try {
      const since = await this.runs.msSinceLastRun(this.config.PROVISIONING_JOB_ID);
      if (since !== null && since < interval) next = interval - since;
      // A paused job sends nothing to GoTo; the run is due again once it is turned on.
      else if (this.job.paused) next = 1000;
      else await this.reconciliation.start({ dryRun: false }, 'schedule');
    } catch (error) {
      if (!(error instanceof ReconciliationBusyError)) this.logger.warn({ err: errorMessage(error) }, 'scheduled reconciliation not started');
    }
    this.schedule(Math.max(next, 1000));
  }
}
