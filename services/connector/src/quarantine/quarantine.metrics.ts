import { Inject, Injectable } from '@nestjs/common';
import { MetricsService, SERVICE_CONFIG } from '@roster/platform';
import { Gauge } from 'prom-client';
import type { ConnectorConfig } from '../config/connector.config';
import { CircuitBreaker } from './circuit-breaker';

/** Whether the job is quarantined, as this replica knows it (its breaker's copy, refreshed by the prober). */
@Injectable()
export class QuarantineMetrics {
  constructor(breaker: CircuitBreaker, metrics: MetricsService, @Inject(SERVICE_CONFIG) config: ConnectorConfig) {
    const quarantined: Gauge<'provisioning_job' | 'kind'> = new Gauge({
      name: 'roster_connector_quarantined',
      help: '1 while the provisioning job is quarantined (no calls to GoTo), by kind (failures, fatal); 0 otherwise',
      labelNames: ['provisioning_job', 'kind'] as const,
      registers: [metrics.registry],
      collect: () => {
        const state = breaker.current;
        for (const kind of ['failures', 'fatal'] as const) {
          quarantined.set({ provisioning_job: config.PROVISIONING_JOB_ID, kind }, state?.kind === kind ? 1 : 0);
        }
      },
    });
  }
}
