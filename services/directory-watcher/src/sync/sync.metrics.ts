import { Injectable } from '@nestjs/common';
import { MetricsService } from '@roster/platform';
import { Gauge } from 'prom-client';
import type { JobSync } from './job-sync';
import type { SyncProgress } from './sync-progress';
import { WatchedJobs } from './watched-jobs';

const PHASES: readonly SyncProgress['phase'][] = ['starting', 'initial', 'incremental', 'reconcile', 'recover', 'idle', 'standby', 'error'];

type Label = 'provisioning_job';

/**
 * Each job's cycle progress as GET /sync/status shows it, read at each scrape (a job that went is no longer reported). Only the leading replica
 * runs cycles; the others report phase `standby`. A cycle is stalled when it runs while
 * `roster_sync_users_processed` stands still.
 */
@Injectable()
export class SyncMetrics {
  constructor(jobs: WatchedJobs, metrics: MetricsService) {
    const syncs = () => jobs.all().flatMap(({ sync }) => (sync ? [sync] : []));
    const registers = [metrics.registry];
    const labelNames = ['provisioning_job'] as const;
    const seconds = (iso: string | null) => (iso === null ? 0 : Date.parse(iso) / 1000);
    const syncGauge = (name: string, help: string, value: (sync: JobSync) => number) => {
      const g: Gauge<Label> = new Gauge({
        name,
        help,
        labelNames,
        registers,
        collect: () => {
          g.reset();
          for (const sync of syncs()) g.set({ provisioning_job: sync.provisioningJobId }, value(sync));
        },
      });
    };
    const gauge = (name: string, help: string, value: (p: SyncProgress) => number) => syncGauge(name, help, (sync) => value(sync.progress));
    gauge('roster_sync_cycle', 'Number of the current (or last) provisioning cycle', (p) => p.cycle);
    gauge('roster_sync_users_processed', 'Users read so far in the current cycle', (p) => p.usersProcessed);
    gauge('roster_sync_events_emitted', 'Change events emitted so far in the current cycle', (p) => p.eventsEmitted);
    gauge('roster_sync_cycle_running', '1 while this replica runs a cycle (initial, incremental, reconcile, recover)', (p) =>
      ['initial', 'incremental', 'reconcile', 'recover'].includes(p.phase) ? 1 : 0,
    );
    gauge('roster_sync_cycle_started_timestamp_seconds', 'When the current (or last) cycle began (Unix time, 0 if none yet)', (p) => seconds(p.startedAt));
    gauge('roster_sync_last_completed_timestamp_seconds', 'When the last cycle that read changes completed (Unix time, 0 if none yet)', (p) =>
      seconds(p.lastCompletedAt),
    );
    syncGauge('roster_sync_backlog_limit', 'Batches waiting downstream above which a cycle reads no further page (WATCH_BACKLOG_LIMIT)', (s) => s.backlog.limit);
    syncGauge('roster_sync_backlog_batches', 'Batches waiting downstream at the last reading: events for the mapper, the job\'s commands for the connector', (s) => s.backlog.backlog);
    syncGauge('roster_sync_backlog_holding', '1 while a cycle waits for the backlog to drain below its limit', (s) => (s.backlog.holding ? 1 : 0));
    syncGauge('roster_sync_backlog_held_seconds', 'Seconds pages have waited for the backlog to drain since the watcher started, each page counted', (s) => s.backlog.heldMs / 1000);
    const phase: Gauge<Label | 'phase'> = new Gauge({
      name: 'roster_sync_phase',
      help: '1 for the phase the watcher is in (starting, initial, incremental, reconcile, recover, idle, standby, error), 0 for the others',
      labelNames: ['provisioning_job', 'phase'] as const,
      registers,
      collect: () => {
        phase.reset();
        for (const sync of syncs()) for (const p of PHASES) phase.set({ provisioning_job: sync.provisioningJobId, phase: p }, sync.progress.phase === p ? 1 : 0);
      },
    });
  }
}
