import { Logger } from '@nestjs/common';
import { jobChangeMessageSchema, provisioningJobSettingsSchema, type ProvisioningJobSettings, type ProvisioningJobView } from '@roster/contracts';
import type IORedis from 'ioredis';
import type { BaseConfig } from '../config/config.loader';
import { errorMessage } from '../errors/error-message';
import { SECRET_KEY_VARIABLE } from '../secrets/decrypt-env';
import { SecretBox } from '../secrets/secret-box';
import { revealSecrets } from './job-secrets';
import { jobChangesChannel } from './job-changes.publisher';
import type { ProvisioningJobRecords, StoredJob } from './provisioning-job.records';

/** A job as a pipeline service runs it: credentials decrypted, defaults filled in. */
export interface RunnableJob {
  id: string;
  settings: ProvisioningJobSettings;
  state: ProvisioningJobView['state'];
  /** The record's revision; 0 for the environment's job while no record of it exists. */
  revision: number;
}

/** What a service does when a job appears, changes or goes away. Calls never overlap. */
export interface JobHost {
  apply(job: RunnableJob): Promise<void>;
  remove(jobId: string): Promise<void>;
}

export interface JobCatalogOptions {
  records: ProvisioningJobRecords;
  /** Subscribed on a connection of its own (a subscribed connection can do nothing else). */
  redis: IORedis;
  queuePrefix: string;
  /** ROSTER_SECRET_KEY; a job with credentials cannot run without it. */
  secretKey: string | undefined;
  /**
   * The job the service's environment describes (PROVISIONING_JOB_ID and its settings), run as long
   * as no record of it exists: a service started without the admin API, as the tests and older
   * deployments do, still runs its one job.
   */
  environmentJob?: RunnableJob;
  pollIntervalMs: number;
}

/**
 * Follows the provisioning_job table for one service: at start, on every job-changes message, and
 * on a slow poll (a lost message costs only latency). A job is re-read only when its revision
 * differs from the one the service runs, and handed to the host with its credentials decrypted.
 */
export class JobCatalog {
  private readonly logger = new Logger(JobCatalog.name);
  private readonly running = new Map<string, number>();
  /** Revisions that could not be read (bad settings, a key that does not decrypt): reported once each. */
  private readonly unreadable = new Map<string, number>();
  private readonly box: SecretBox | undefined;
  private subscriber: IORedis | undefined;
  private timer: NodeJS.Timeout | undefined;
  private chain: Promise<void> = Promise.resolve();
  private stopped = false;

  constructor(private readonly options: JobCatalogOptions) {
    this.box = options.secretKey === undefined ? undefined : new SecretBox(options.secretKey);
  }

  /** Reads every job once before answering, so a service starts with its jobs in place. */
  async start(host: JobHost): Promise<void> {
    this.subscriber = this.options.redis.duplicate();
    this.subscriber.on('message', (_channel, raw: string) => this.onMessage(raw, host));
    this.subscriber.on('error', (error: Error) => this.logger.warn({ err: error.message }, 'job-changes subscription: Redis error; the poll goes on'));
    await this.subscriber.subscribe(jobChangesChannel(this.options.queuePrefix));
    await this.refresh(host);
    this.timer = setInterval(() => void this.refresh(host), this.options.pollIntervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    await this.chain;
    await this.subscriber?.quit().catch(() => this.subscriber?.disconnect());
  }

  /** The revision each job runs with (0: the environment's). */
  revisions(): ReadonlyMap<string, number> {
    return this.running;
  }

  /** Re-reads what changed; calls are queued, so the host sees one change at a time and in order. */
  refresh(host: JobHost): Promise<void> {
    this.chain = this.chain.then(() => (this.stopped ? undefined : this.sync(host))).catch((error: unknown) =>
      this.logger.warn({ err: errorMessage(error) }, 'could not read the provisioning jobs; the next poll tries again'),
    );
    return this.chain;
  }

  private onMessage(raw: string, host: JobHost): void {
    let parsed: unknown;
    try {
      parsed = JSON.parse(raw);
    } catch {
      parsed = undefined;
    }
    const message = jobChangeMessageSchema.safeParse(parsed);
    if (!message.success) {
      this.logger.warn('ignored a malformed job-changes message');
      return;
    }
    if (this.running.get(message.data.jobId) === message.data.revision && message.data.reason !== 'deleted') return;
    void this.refresh(host);
  }

  private async sync(host: JobHost): Promise<void> {
    const revisions = await this.options.records.revisions();
    for (const [id, revision] of revisions) {
      if (this.running.get(id) === revision || this.unreadable.get(id) === revision) continue;
      const stored = await this.options.records.find(id);
      if (!stored) continue;
      const job = this.runnable(stored);
      if (!job) continue;
      await host.apply(job);
      this.running.set(id, job.revision);
    }
    const env = this.options.environmentJob;
    for (const id of [...this.running.keys()]) {
      if (revisions.has(id) || env?.id === id) continue;
      this.running.delete(id);
      await host.remove(id);
      this.logger.log({ provisioningJobId: id }, 'provisioning job removed: its record was deleted');
    }
    // Without a record (never made, or deleted) the environment's job runs as the environment says.
    if (env && !revisions.has(env.id) && this.running.get(env.id) !== 0) {
      await host.apply(env);
      this.running.set(env.id, 0);
    }
  }

  private runnable(stored: StoredJob): RunnableJob | undefined {
    try {
      if (Object.keys(stored.secrets).length > 0 && !this.box) throw new Error('its credentials are encrypted, but ROSTER_SECRET_KEY is not set');
      const revealed = revealSecrets(stored.settings, stored.secrets, (c) => this.box!.decrypt(c));
      const settings = provisioningJobSettingsSchema.parse(revealed);
      this.unreadable.delete(stored.id);
      return { id: stored.id, settings, state: stored.state, revision: stored.revision };
    } catch (error) {
      // Never the value: a decryption error names no content, a settings error is about the record's shape.
      this.logger.error({ provisioningJobId: stored.id, revision: stored.revision, err: errorMessage(error) }, 'provisioning job cannot be run: its record cannot be read');
      this.unreadable.set(stored.id, stored.revision);
      return undefined;
    }
  }
}

/** The catalog of a service, configured from the variables every service reads. */
export function jobCatalogFor(
  config: Pick<BaseConfig, 'QUEUE_PREFIX' | 'JOB_POLL_INTERVAL_MS' | typeof SECRET_KEY_VARIABLE>,
  records: ProvisioningJobRecords,
  redis: IORedis,
  environmentJob?: RunnableJob,
): JobCatalog {
  return new JobCatalog({
    records,
    redis,
    queuePrefix: config.QUEUE_PREFIX,
    secretKey: config[SECRET_KEY_VARIABLE],
    pollIntervalMs: config.JOB_POLL_INTERVAL_MS,
    ...(environmentJob ? { environmentJob } : {}),
  });
}
