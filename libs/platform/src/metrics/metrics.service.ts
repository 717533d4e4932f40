import { Inject, Injectable } from '@nestjs/common';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { SERVICE_NAME } from '../config/config.module';

/** One registry per service instance, so in-process tests that boot several services don't collide. */
@Injectable()
export class MetricsService {
  readonly registry = new Registry();

  readonly jobsTotal = new Counter({
    name: 'roster_queue_jobs_total',
    help: 'Queue jobs handled, by queue and outcome',
    labelNames: ['queue', 'outcome'] as const,
    registers: [this.registry],
  });

  readonly jobDuration = new Histogram({
    name: 'roster_queue_job_duration_seconds',
    help: 'Time spent handling one queue job',
    labelNames: ['queue'] as const,
    buckets: [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 30],
    registers: [this.registry],
  });

  /** Incidents this service noticed: Redis lost its data or was replaced, PostgreSQL restored (see QueueEpochMonitor). */
  readonly queueIncidents = new Counter({
    name: 'roster_queue_incidents_total',
    help: 'Times this service found queued work lost (Redis data lost or replaced, PostgreSQL restored) and recovered',
    labelNames: ['incident'] as const,
    registers: [this.registry],
  });

  readonly queueGeneration = new Gauge({
    name: 'roster_queue_generation',
    help: 'Generation carried by job ids: one more after each queue incident',
    registers: [this.registry],
  });

  constructor(@Inject(SERVICE_NAME) service: string) {
    this.registry.setDefaultLabels({ service });
    collectDefaultMetrics({ register: this.registry });
  }
}
