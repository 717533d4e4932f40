import { Inject, Injectable, Logger, NotFoundException, type OnApplicationBootstrap, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { QueueName } from '@roster/contracts';
import {
  AuditEmitter,
  HttpExchangeRecorder,
  ProvisioningJobRecords,
  QueueEpochMonitor,
  REDIS,
  SERVICE_CONFIG,
  Tracing,
  errorMessage,
  jobCatalogFor,
  producerToken,
  type JobCatalog,
  type JobHost,
  type MessageProducer,
  type RunnableJob,
} from '@roster/platform';
import type IORedis from 'ioredis';
import type { Server } from 'node:http';
import { isDeepStrictEqual } from 'node:util';
import { DataSource } from 'typeorm';
import { environmentJob } from '../config/environment-job';
import { scopeOptionsOf, scopeSettings } from '../config/scope-settings';
import type { WatcherConfig } from '../config/watcher.config';
import { DemoDirectorySource } from '../demo-directory/demo-directory.source';
import { EntraJobSource } from '../entra/entra-job-source';
import { entraSettingsOf } from '../entra/entra-settings';
import { EntraWebhook } from '../entra/entra-webhook';
import { JobSync, type SyncDeps } from './job-sync';
import { WatchStateRepository } from './watch-state.repository';

/** A job this watcher serves: its sync, or why its source cannot be read (a record without the Graph secret). */
export interface ServedJob {
  job: RunnableJob;
  sync?: JobSync;
  entra?: EntraJobSource;
  error?: string;
}

/**
 * Every provisioning job of the installation, each read from the directory source its record names
 * (the environment's job while it has no record): a job created through the admin API, or a change
 * of its source (kind, tenant, app, credentials, scope), takes effect without a restart, and a
 * deleted job stops being read. Replicas share the work through each job's leader lock.
 */
@Injectable()
export class WatchedJobs implements JobHost, OnModuleInit, OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(WatchedJobs.name);
  private readonly catalog: JobCatalog;
  private readonly served = new Map<string, ServedJob>();
  private readonly deps: SyncDeps;
  private booted = false;

  constructor(
    records: ProvisioningJobRecords,
    @Inject(REDIS) redis: IORedis,
    @Inject(SERVICE_CONFIG) private readonly config: WatcherConfig,
    @Inject(producerToken(QueueName.AssignmentChanges)) events: MessageProducer<typeof QueueName.AssignmentChanges>,
    state: WatchStateRepository,
    audit: AuditEmitter,
    private readonly db: DataSource,
    tracing: Tracing,
    epoch: QueueEpochMonitor,
    private readonly demo: DemoDirectorySource,
    private readonly webhook: EntraWebhook,
    private readonly exchanges: HttpExchangeRecorder,
    private readonly http: HttpAdapterHost,
  ) {
    this.catalog = jobCatalogFor(config, records, redis, environmentJob(config));
    this.deps = { events, config, state, audit, db, redis, tracing };
    epoch.onIncident(async (incident) => {
      for (const { sync } of this.served.values()) await sync?.recoverLostQueues(incident);
    });
  }

  /** Reads the jobs before the first cycle: a job paused when the watcher starts must read nothing. */
  onModuleInit(): Promise<void> {
    return this.catalog.start(this);
  }

  onApplicationBootstrap(): void {
    this.booted = true;
    for (const served of this.served.values()) this.begin(served);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.catalog.stop();
    for (const served of this.served.values()) await this.close(served);
  }

  /**
   * The job with this id (the watcher's own without one), or a 404 naming the jobs it serves. A job
   * not served yet is looked for in the records first: the admin API may ask about a job it has
   * just created before its announcement has arrived.
   */
  async get(jobId: string | undefined): Promise<ServedJob> {
    const id = jobId ?? this.config.PROVISIONING_JOB_ID;
    if (!this.served.has(id)) await this.catalog.refresh(this);
    const served = this.served.get(id);
    if (!served) throw new NotFoundException(`this watcher serves no job "${id}" (it serves: ${[...this.served.keys()].join(', ') || 'none'})`);
    return served;
  }

  all(): ServedJob[] {
    return [...this.served.values()];
  }

  async apply(job: RunnableJob): Promise<void> {
    const current = this.served.get(job.id);
    if (current && isDeepStrictEqual(current.job.settings.source, job.settings.source)) {
      current.job = job;
      current.sync?.setPaused(job.state === 'paused');
      return;
    }
    if (current) {
      await this.close(current);
      this.logger.log({ provisioningJobId: job.id, revision: job.revision, source: job.settings.source.kind }, 'directory source changed: reading the new one');
    }
    const served = this.open(job);
    this.served.set(job.id, served);
    if (this.booted) this.begin(served);
  }

  async remove(jobId: string): Promise<void> {
    const served = this.served.get(jobId);
    if (!served) return;
    this.served.delete(jobId);
    await this.close(served);
  }

  private open(job: RunnableJob): ServedJob {
    const source = job.settings.source;
    try {
      const entra = source.kind === 'entra' ? new EntraJobSource(entraSettingsOf(job.id, source.settings, this.config), this.db, this.exchanges) : undefined;
      const synced = {
        id: job.id,
        source: entra?.source ?? this.demo,
        settings: scopeSettings(source, this.config),
        includeDefaultAccess: scopeOptionsOf(source, this.config).includeDefaultAccess,
      };
      const sync = new JobSync(this.deps, synced, job.state === 'paused');
      return { job, sync, ...(entra ? { entra } : {}) };
    } catch (error) {
      // Never the settings: they hold the credentials.
      const reason = errorMessage(error);
      this.logger.error({ provisioningJobId: job.id, revision: job.revision, err: reason }, 'provisioning job not read: its directory source cannot be opened');
      return { job, error: reason };
    }
  }

  private begin(served: ServedJob): void {
    if (served.entra?.subscriptions) this.webhook.set(served.job.id, served.entra);
    served.entra?.start(this.http.httpAdapter.getHttpServer() as Server);
    served.sync?.start();
  }

  private async close(served: ServedJob): Promise<void> {
    this.webhook.delete(served.job.id, served.entra);
    await served.sync?.stop();
    await served.entra?.stop();
  }
}
