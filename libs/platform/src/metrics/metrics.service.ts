import { Inject, Injectable } from '@nestjs/common';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { SERVICE_NAME } from '../config/config.module';

/** One registry per service instance, so in-process tests that boot several services don't collide. */
@Injectable()
export class MetricsService {
  readonly registry = new Registry();

  readonly jobsTotal = new Counter({
    name: 'roster_queue_jobs_total',
    help: 'Queue messages handled, by queue and outcome: a job, or a command of a batch that ended on its own',
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

  /**
   * How long a job waited in its queue before this service took it, for first attempts only: a retry's
   * wait includes its backoff, which BullMQ does not record.
   */
  readonly jobWait = new Histogram({
    name: 'roster_queue_job_wait_seconds',
    help: 'Time a job waited in its queue before its first attempt began',
    labelNames: ['queue'] as const,
    buckets: [0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 30, 120, 600],
    registers: [this.registry],
  });

  /** Every HTTP exchange with a service Roster calls (GoTo, Microsoft Graph), by its answer. */
  readonly httpClientRequests = new Counter({
    name: 'roster_http_client_requests_total',
    help: 'Requests to GoTo and Microsoft Graph, by target, API and HTTP status ("none" when no answer came)',
    labelNames: ['target', 'api', 'status'] as const,
    registers: [this.registry],
  });

  readonly httpClientDuration = new Histogram({
    name: 'roster_http_client_request_duration_seconds',
    help: 'Time from sending a request to GoTo or Microsoft Graph to reading its answer',
    labelNames: ['target', 'api'] as const,
    buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 15],
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
