import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { ProvisioningJobRecords, SERVICE_CONFIG, errorMessage } from '@roster/platform';
import type { AdminApiConfig } from '../config/admin-api.config';
import { JobStateService } from './job-state.service';

/**
 * Reads each turned-on job's state from its services every JOB_STATE_CHECK_MS, so a quarantine,
 * held deletions or a finished initial cycle show in the API and the log without anyone asking.
 * Every replica of the admin API looks; the record's conditional write lets one of them log a change.
 */
@Injectable()
export class JobStateMonitor implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(JobStateMonitor.name);
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;

  constructor(
    private readonly records: ProvisioningJobRecords,
    private readonly states: JobStateService,
    @Inject(SERVICE_CONFIG) private readonly config: AdminApiConfig,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => {
      this.running ??= this.checkAll().finally(() => (this.running = null));
    }, this.config.JOB_STATE_CHECK_MS);
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.running;
  }

  private async checkAll(): Promise<void> {
    let jobs;
    try {
      jobs = await this.records.list();
    } catch (error) {
      this.logger.warn({ err: errorMessage(error) }, 'could not list the jobs to check their state');
      return;
    }
    for (const job of jobs) {
      try {
        await this.states.observe(job);
      } catch (error) {
        // A service down or running another job: the state stays as last known until it answers.
        this.logger.debug({ provisioningJobId: job.id, err: errorMessage(error) }, 'job state not read this time');
      }
    }
  }
}
