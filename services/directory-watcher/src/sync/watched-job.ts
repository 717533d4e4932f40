import { Inject, Injectable, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { ProvisioningJobRecords, REDIS, SERVICE_CONFIG, jobCatalogFor, type JobCatalog, type JobHost, type RunnableJob } from '@roster/platform';
import type IORedis from 'ioredis';
import type { WatcherConfig } from '../config/watcher.config';

/**
 * Whether an admin has paused the job this watcher feeds (PROVISIONING_JOB_ID), as its record says
 * now (see JobCatalog): a paused job's directory is not read. Without a record the job runs, as it
 * did before jobs were records.
 */
@Injectable()
export class WatchedJob implements JobHost, OnModuleInit, OnApplicationShutdown {
  private readonly catalog: JobCatalog;
  private readonly resumed: (() => void)[] = [];
  private state: RunnableJob['state'] | undefined;

  constructor(records: ProvisioningJobRecords, @Inject(REDIS) redis: IORedis, @Inject(SERVICE_CONFIG) private readonly config: WatcherConfig) {
    this.catalog = jobCatalogFor(config, records, redis);
  }

  get paused(): boolean {
    return this.state === 'paused';
  }

  /** Called when the job is turned on again after a pause. */
  onResume(listener: () => void): void {
    this.resumed.push(listener);
  }

  /** Before the first cycle: a watcher starting while its job is paused must read nothing. */
  onModuleInit(): Promise<void> {
    return this.catalog.start(this);
  }

  onApplicationShutdown(): Promise<void> {
    return this.catalog.stop();
  }

  apply(job: RunnableJob): Promise<void> {
    if (job.id === this.config.PROVISIONING_JOB_ID) this.follow(job.state);
    return Promise.resolve();
  }

  remove(jobId: string): Promise<void> {
    if (jobId === this.config.PROVISIONING_JOB_ID) this.follow(undefined);
    return Promise.resolve();
  }

  private follow(state: RunnableJob['state'] | undefined): void {
    const wasPaused = this.paused;
    this.state = state;
    if (wasPaused && !this.paused) for (const listener of this.resumed) listener();
  }
}
