import { Inject, Injectable, Logger } from '@nestjs/common';
import type { JobChangeMessage } from '@roster/contracts';
import { REDIS, SERVICE_CONFIG, errorMessage, publishJobChange, type BaseConfig } from '@roster/platform';
import type IORedis from 'ioredis';

/**
 * Announces a committed change of a job's record to the pipeline services. Every write to a job
 * calls it (settings, credentials, state, delete, restart); it never fails the admin's request:
 * the services' poll picks the change up within JOB_POLL_INTERVAL_MS if the message is lost.
 */
@Injectable()
export class JobChangeAnnouncer {
  private readonly logger = new Logger(JobChangeAnnouncer.name);

  constructor(
    @Inject(REDIS) private readonly redis: IORedis,
    @Inject(SERVICE_CONFIG) private readonly config: BaseConfig,
  ) {}

  async announce(change: JobChangeMessage): Promise<void> {
    try {
      await publishJobChange(this.redis, this.config.QUEUE_PREFIX, change);
    } catch (error) {
      this.logger.warn({ provisioningJobId: change.jobId, revision: change.revision, err: errorMessage(error) }, 'could not announce a job change; services see it at their next poll');
    }
  }
}
