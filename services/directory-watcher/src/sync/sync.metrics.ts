import { Inject, Injectable } from '@nestjs/common';
import { MetricsService, SERVICE_CONFIG } from '@roster/platform';
import { Gauge } from 'prom-client';
import type { WatcherConfig } from '../config/watcher.config';
import { DirectorySyncService } from './directory-sync.service';
import type { SyncProgress } from './sync-progress';

const PHASES: readonly SyncProgress['phase'][] = ['starting', 'initial', 'incremental', 'reconcile', 'recover', 'idle', 'standby', 'error'];

type Label = 'provisioning_job';

/**
 * The cycle's progress as GET /sync/status shows it, read at each scrape. Only the leading replica
 * runs cycles; the others report phase `standby`. A cycle is stalled when it runs while
 * `roster_sync_users_processed` stands still.
 */
@Injectable()
export class SyncMetrics {
  constructor(sync: DirectorySyncService, metrics: MetricsService, @Inject(SERVICE_CONFIG) config: WatcherConfig) {
    const job = { provisioning_job: config.PROVISIONING_JOB_ID };
    const registers = [metrics.registry];
    const labelNames = ['provisioning_job'] as const;
    const seconds = (iso: string | null) => (iso === null ? 0 : Date.parse(iso) / 1000);
    const gauge = (name: string, help: string, value: (p: SyncProgress) => number) => {
      const g: Gauge<Label> = new Gauge({ name, help, labelNames, registers, collect: () => g.set(job, value(sync.progress)) });
    };
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
    const phase: Gauge<Label | 'phase'> = new Gauge({
      name: 'roster_sync_phase',
      help: '1 for the phase the watcher is in (starting, initial, incremental, reconcile, recover, idle, standby, error), 0 for the others',
      labelNames: ['provisioning_job', 'phase'] as const,
      registers,
      collect: () => {
        for (const p of PHASES) phase.set({ ...job, phase: p }, sync.progress.phase === p ? 1 : 0);
      },
    });
  }
}
