import { isDeepStrictEqual } from 'node:util';
import { ConflictException, Inject, Injectable, Logger, NotFoundException } from '@nestjs/common';
import type { CreateProvisioningJob, ProvisioningJobSecretField, ProvisioningJobSettings, ProvisioningJobView } from '@roster/contracts';
import { SECRET_KEY_VARIABLE, SERVICE_CONFIG, SecretBox } from '@roster/platform';
import type { AdminApiConfig } from '../config/admin-api.config';
import { mergeSecrets, splitSecrets } from './job-secrets';
import { ProvisioningJobRepository, type StoredJob } from './provisioning-job.repository';

/** A job as answered: settings as stored (no credential is ever among them) and which credentials are set. */
function view(job: StoredJob): ProvisioningJobView {
  const { displayName, ...settings } = job.settings;
  return {
    id: job.id,
    ...(displayName === undefined ? {} : { displayName }),
    ...settings,
    state: job.state,
    secretsSet: (Object.keys(job.secrets) as ProvisioningJobSecretField[]).sort(),
    revision: job.revision,
    createdAt: job.createdAt,
    updatedAt: job.updatedAt,
  };
}

@Injectable()
export class ProvisioningJobsService {
  private readonly logger = new Logger(ProvisioningJobsService.name);
  private readonly box: SecretBox;

  constructor(
    private readonly jobs: ProvisioningJobRepository,
    @Inject(SERVICE_CONFIG) config: AdminApiConfig,
  ) {
    this.box = new SecretBox(config[SECRET_KEY_VARIABLE]);
  }

  async list(): Promise<ProvisioningJobView[]> {
    return (await this.jobs.list()).map(view);
  }

  async get(id: string): Promise<ProvisioningJobView> {
    return view(await this.stored(id));
  }

  async create({ id, ...input }: CreateProvisioningJob): Promise<ProvisioningJobView> {
    const { settings, secrets } = splitSecrets(input);
    const created = await this.jobs.insert(id, settings, mergeSecrets({}, secrets, (s) => this.box.encrypt(s)));
    if (!created) throw new ConflictException(`provisioning job ${id} exists already; PUT /jobs/${id} replaces its settings`);
    this.logger.log({ provisioningJobId: id, secretsSet: Object.keys(created.secrets) }, 'provisioning job created');
    return view(created);
  }

  /** Replaces the settings; a credential left out is kept, null removes it. */
  async replace(id: string, input: ProvisioningJobSettings): Promise<ProvisioningJobView> {
    const current = await this.stored(id);
    const { settings, secrets } = splitSecrets(input);
    const updated = await this.jobs.replace(id, current.revision, settings, mergeSecrets(current.secrets, secrets, (s) => this.box.encrypt(s)));
    if (!updated) throw new ConflictException(`provisioning job ${id} changed meanwhile; read it again and retry`);
    this.logger.log({ provisioningJobId: id, revision: updated.revision, secretsSet: Object.keys(updated.secrets) }, 'provisioning job updated');
    return view(updated);
  }

  /**
   * Creates the job, or replaces its settings when they differ (the default job from the environment,
   * applied at every start: an unchanged environment writes nothing and keeps the revision).
   */
  async upsert(job: CreateProvisioningJob): Promise<ProvisioningJobView> {
    const { id, ...input } = job;
    const current = await this.jobs.find(id);
    if (!current) return this.create(job);
    return this.unchanged(current, input) ? view(current) : this.replace(id, input);
  }

  private unchanged(current: StoredJob, input: ProvisioningJobSettings): boolean {
    const { settings, secrets } = splitSecrets(input);
    // Through JSON, as jsonb stores it: no undefined members, numbers as numbers.
    if (!isDeepStrictEqual(current.settings, JSON.parse(JSON.stringify(settings)))) return false;
    return (Object.entries(secrets) as [ProvisioningJobSecretField, string | null][]).every(([field, value]) => {
      const stored = current.secrets[field];
      return value === null ? stored === undefined : stored !== undefined && this.box.decrypt(stored) === value;
    });
  }

  async delete(id: string): Promise<void> {
    if (!(await this.jobs.delete(id))) throw new NotFoundException(`no provisioning job ${id}`);
    this.logger.log({ provisioningJobId: id }, 'provisioning job deleted');
  }

  private async stored(id: string): Promise<StoredJob> {
    const job = await this.jobs.find(id);
    if (!job) throw new NotFoundException(`no provisioning job ${id}`);
    return job;
  }
}
