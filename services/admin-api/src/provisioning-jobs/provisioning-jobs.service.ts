import { isDeepStrictEqual } from 'node:util';
import { ConflictException, Inject, Injectable, Logger, NotFoundException } from '@nestjs/common';
import type { CreateProvisioningJob, ProvisioningJobSecretField, ProvisioningJobSettings, ProvisioningJobView } from '@roster/contracts';
import {
  ProvisioningJobRecords,
  SECRET_KEY_VARIABLE,
  SERVICE_CONFIG,
  SecretBox,
  mergeSecrets,
  revealSecrets,
  splitSecrets,
  type SecretChanges,
  type StoredJob,
} from '@roster/platform';
import type { AdminApiConfig } from '../config/admin-api.config';
import { JobChangeAnnouncer } from './job-change.announcer';

/** A job as answered: settings as stored (no credential is ever among them) and which credentials are set. */
function view(job: StoredJob): ProvisioningJobView {
  const { displayName, ...settings } = job.settings;
  return {
    id: job.id,
    ...(displayName === undefined ? {} : { displayName }),
    ...settings,
    state: job.state,
    ...(job.stateDetail ? { stateDetail: job.stateDetail } : {}),
    secretsSet: (Object.keys(job.secrets) as ProvisioningJobSecretField[]).sort(),
    revision: job.revision,
    createdAt: job.createdAt,
    updatedAt: job.updatedAt,
  };
}

/** Whether a write sets or removes a credential (for the change's reason; services re-read the whole record anyway). */
const changesCredentials = (secrets: SecretChanges) => Object.keys(secrets).length > 0;

@Injectable()
export class ProvisioningJobsService {
  private readonly logger = new Logger(ProvisioningJobsService.name);
  private readonly box: SecretBox;

  constructor(
    private readonly jobs: ProvisioningJobRecords,
    private readonly changes: JobChangeAnnouncer,
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

  /** A job made through the API starts paused; the environment's default job starts on (`initial-sync`). */
  async create({ id, ...input }: CreateProvisioningJob, state: ProvisioningJobView['state'] = 'paused'): Promise<ProvisioningJobView> {
    const { settings, secrets } = splitSecrets(input);
    const created = await this.jobs.insert(id, settings, mergeSecrets({}, secrets, (s) => this.box.encrypt(s)), state);
    if (!created) throw new ConflictException(`provisioning job ${id} exists already; PUT /jobs/${id} replaces its settings`);
    this.logger.log({ provisioningJobId: id, state, secretsSet: Object.keys(created.secrets) }, 'provisioning job created');
    await this.changes.announce({ jobId: id, revision: created.revision, reason: 'created' });
    return view(created);
  }

  /** Replaces the settings; a credential left out is kept, null removes it. */
  async replace(id: string, input: ProvisioningJobSettings): Promise<ProvisioningJobView> {
    const current = await this.stored(id);
    const { settings, secrets } = splitSecrets(input);
    const updated = await this.jobs.replace(id, current.revision, settings, mergeSecrets(current.secrets, secrets, (s) => this.box.encrypt(s)));
    if (!updated) throw new ConflictException(`provisioning job ${id} changed meanwhile; read it again and retry`);
    this.logger.log({ provisioningJobId: id, revision: updated.revision, secretsSet: Object.keys(updated.secrets) }, 'provisioning job updated');
    await this.changes.announce({ jobId: id, revision: updated.revision, reason: changesCredentials(secrets) ? 'credentials' : 'settings' });
    return view(updated);
  }

  /**
   * Creates the job, or replaces its settings when they differ (the default job from the environment,
   * applied at every start: an unchanged environment writes nothing and keeps the revision).
   */
  async upsert(job: CreateProvisioningJob): Promise<ProvisioningJobView> {
    const { id, ...input } = job;
    const current = await this.jobs.find(id);
    if (!current) return this.create(job, 'initial-sync');
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

  /**
   * The job's settings with its credentials decrypted in place, for a check the admin API runs
   * itself (Test Connection of the directory source). Never answered, logged or queued.
   */
  async withCredentials(id: string): Promise<{ settings: ProvisioningJobSettings; revision: number }> {
    const job = await this.stored(id);
    return { settings: revealSecrets(job.settings, job.secrets, (ciphertext) => this.box.decrypt(ciphertext)), revision: job.revision };
  }

  async delete(id: string): Promise<void> {
    const revision = await this.jobs.delete(id);
    if (revision === undefined) throw new NotFoundException(`no provisioning job ${id}`);
    this.logger.log({ provisioningJobId: id }, 'provisioning job deleted');
    await this.changes.announce({ jobId: id, revision, reason: 'deleted' });
  }

  private async stored(id: string): Promise<StoredJob> {
    const job = await this.jobs.find(id);
    if (!job) throw new NotFoundException(`no provisioning job ${id}`);
    return job;
  }
}
