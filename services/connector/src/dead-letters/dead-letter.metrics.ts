import { Inject, Injectable } from '@nestjs/common';
import { MetricsService, SERVICE_CONFIG, withTimeout } from '@roster/platform';
import { Counter, Gauge } from 'prom-client';
import type { ConnectorConfig } from '../config/connector.config';
import { DeadLetterRepository } from './dead-letter.repository';

/** A scrape must answer while PostgreSQL is away: the gauge is then left out. */
const COUNT_TIMEOUT_MS = 1000;

/**
 * Dead letters: the ones waiting for an admin (counted in PostgreSQL at each scrape, so every replica
 * reports the same figure) and the ones this replica added.
 */
@Injectable()
export class DeadLetterMetrics {
  private readonly added: Counter<'provisioning_job'>;

  constructor(repository: DeadLetterRepository, metrics: MetricsService, @Inject(SERVICE_CONFIG) config: ConnectorConfig) {
    this.added = new Counter({
      name: 'roster_connector_dead_lettered_total',
      help: 'Commands this replica put in the dead-letter table (they failed for good)',
      labelNames: ['provisioning_job'] as const,
      registers: [metrics.registry],
    });
    const open: Gauge<'provisioning_job'> = new Gauge({
      name: 'roster_connector_dead_letters',
      help: 'Dead letters of the provisioning job not yet resolved or re-driven',
      labelNames: ['provisioning_job'] as const,
      registers: [metrics.registry],
      collect: async () => {
        open.reset();
        const jobId = config.PROVISIONING_JOB_ID;
        const count = await withTimeout(repository.countDead(jobId), COUNT_TIMEOUT_MS, 'dead letter count').catch(() => null);
        if (count !== null) open.set({ provisioning_job: jobId }, count);
      },
    });
  }

  deadLettered(jobId: string): void {
    this.added.inc({ provisioning_job: jobId });
  }
}
