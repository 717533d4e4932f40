import { Logger } from '@nestjs/common';
import type IORedis from 'ioredis';
import type { BaseConfig } from '../config/config.loader';
import type { SECRET_KEY_VARIABLE } from '../secrets/decrypt-env';
import { jobCatalogFor, type JobCatalog, type JobHost, type RunnableJob } from './job-catalog';
import type { ProvisioningJobRecords } from './provisioning-job.records';

type Listener = (job: RunnableJob, before: RunnableJob) => void | Promise<void>;

/**
 * The one provisioning job a service instance runs (PROVISIONING_JOB_ID) as its record says now. The
 * record is followed (see JobCatalog), so an admin's change takes effect without a restart; while no
 * record exists, the environment's settings are the job's. Other jobs' records are ignored.
 */
export class FollowedJob implements JobHost {
  private readonly logger = new Logger(FollowedJob.name);
  private readonly catalog: JobCatalog;
  private readonly listeners: Listener[] = [];
  private job: RunnableJob;

  constructor(
    config: Pick<BaseConfig, 'QUEUE_PREFIX' | 'JOB_POLL_INTERVAL_MS' | typeof SECRET_KEY_VARIABLE>,
    records: ProvisioningJobRecords,
    redis: IORedis,
    environmentJob: RunnableJob,
  ) {
    this.job = environmentJob;
    this.catalog = jobCatalogFor(config, records, redis, environmentJob);
  }

  get current(): RunnableJob {
    return this.job;
  }

  /**
   * Whether the installation has this job as the catalog last read it: a record (any job's), or
   * this service's own job. A deleted record is forgotten as soon as its deletion is announced.
   */
  knows(jobId: string): boolean {
    return this.catalog.revisions().has(jobId);
  }

  get paused(): boolean {
    return this.job.state === 'paused';
  }

  /** Called, in order and one at a time, with the job as it is now and as it was. */
  onChange(listener: Listener): void {
    this.listeners.push(listener);
  }

  /** Reads the record before answering, so a service whose job is paused starts paused. */
  start(): Promise<void> {
    return this.catalog.start(this);
  }

  stop(): Promise<void> {
    return this.catalog.stop();
  }

  async apply(job: RunnableJob): Promise<void> {
    if (job.id !== this.job.id) return;
    const before = this.job;
    this.job = job;
    // The revision and state, never the settings: they hold credentials.
    this.logger.log({ provisioningJobId: job.id, revision: job.revision, state: job.state }, 'provisioning job record applied');
    for (const listener of this.listeners) await listener(job, before);
  }

  /** The catalog removes only other jobs: this one falls back to its environment's settings when its record goes. */
  async remove(): Promise<void> {}
}
