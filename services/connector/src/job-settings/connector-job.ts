import { Inject, Injectable, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { FollowedJob, ProvisioningJobRecords, REDIS, SERVICE_CONFIG, type RunnableJob } from '@roster/platform';
import { isDeepStrictEqual } from 'node:util';
import type IORedis from 'ioredis';
import type { ConnectorConfig } from '../config/connector.config';
import { environmentJob } from './environment-job';

type Listener = (job: RunnableJob) => void | Promise<void>;

/**
 * The job this connector runs, as its record says now: its GoTo connection and credentials, its
 * rate limit, whether it is paused (see FollowedJob).
 */
@Injectable()
export class ConnectorJob extends FollowedJob implements OnModuleInit, OnApplicationShutdown {
  constructor(records: ProvisioningJobRecords, @Inject(REDIS) redis: IORedis, @Inject(SERVICE_CONFIG) config: ConnectorConfig) {
    super(config, records, redis, environmentJob(config));
  }

  /** Called when the GoTo connection, credentials or rate limit change. */
  onSettings(listener: Listener): void {
    this.onChange((job, before) => (isDeepStrictEqual(job.settings.goto, before.settings.goto) ? undefined : listener(job)));
  }

  /** Called when the job is paused or turned on again. */
  onState(listener: Listener): void {
    this.onChange((job, before) => ((job.state === 'paused') === (before.state === 'paused') ? undefined : listener(job)));
  }

  /** Before any worker opens: a connector starting while its job is paused must take nothing. */
  onModuleInit(): Promise<void> {
    return this.start();
  }

  onApplicationShutdown(): Promise<void> {
    return this.stop();
  }
}
