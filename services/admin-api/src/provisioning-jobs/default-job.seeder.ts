import { Inject, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { SERVICE_CONFIG } from '@roster/platform';
import type { AdminApiConfig } from '../config/admin-api.config';
import { defaultJobFromEnv } from './default-job';
import { ProvisioningJobsService } from './provisioning-jobs.service';

/**
 * Keeps existing deployments and the quick start working: the environment creates the default job,
 * turned on, or updates its settings at every start (what the environment sets wins over an edit
 * through the API; its state stays as the admin left it).
 */
@Injectable()
export class DefaultJobSeeder implements OnApplicationBootstrap {
  constructor(
    private readonly jobs: ProvisioningJobsService,
    @Inject(SERVICE_CONFIG) private readonly config: AdminApiConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const job = defaultJobFromEnv(this.config);
    if (job) await this.jobs.upsert(job);
  }
}
