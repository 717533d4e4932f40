import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import type { LicenseCheck, MappingConfig } from '@roster/contracts';
import { DEFAULT_GOTOMEETING_MAPPING, compileJob, targetCatalogOf, validateMappingConfig, type CompiledJob } from '@roster/mapping';
import { SERVICE_CONFIG } from '@roster/platform';
import { readFile } from 'node:fs/promises';
import type { EntityManager } from 'typeorm';
import { isDeepStrictEqual } from 'node:util';
import { parse as parseYaml } from 'yaml';
import type { MapperConfig } from '../config/mapper.config';
import { TargetProfileReader } from '../target-profile/target-profile.reader';
import { LicenseKeyValidator } from './license-key.validator';
import { MappingConfigRepository, type JobRow } from './mapping-config.repository';
import { RescopeService } from './rescope.service';

export interface JobContext {
  job: JobRow;
  compiled: CompiledJob;
}

/**
 * The mapping configuration in force per job: validated before it is saved, compiled once per
 * version, re-read by every replica within a second of a change, and applied from MAPPING_FILE at
 * start. A saved change re-evaluates every user.
 */
@Injectable()
export class JobConfigService implements OnApplicationBootstrap {
  private readonly logger = new Logger(JobConfigService.name);
  private readonly compiledJobs = new Map<string, CompiledJob>();

  constructor(
    private readonly repo: MappingConfigRepository,
    private readonly rescope: RescopeService,
    private readonly licenseKeys: LicenseKeyValidator,
    @Inject(SERVICE_CONFIG) private readonly config: MapperConfig,
    private readonly targetProfiles: TargetProfileReader,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (this.config.MAPPING_FILE) await this.applyFile(this.config.MAPPING_FILE);
    // The job this mapper is configured for exists from the start, so reading it never has to create it.
    await this.repo.ensure(this.config.PROVISIONING_JOB_ID, DEFAULT_GOTOMEETING_MAPPING);
    for (const r of await this.repo.unfinishedRescopes()) void this.startRescope(r.jobId, r.version);
  }

  /** The configuration in force for `jobId`; a job never configured gets the default GoToMeeting mapping. */
  async current(jobId: string): Promise<JobContext> {
    const job = await this.repo.ensure(jobId, DEFAULT_GOTOMEETING_MAPPING);
    return { job, compiled: await this.compiled(jobId, job.currentVersion) };
  }

  /** The configuration in force for a job that exists (configured, or sent events); null otherwise. A read: never creates the job. */
  async find(jobId: string): Promise<JobContext | null> {
    const job = await this.repo.job(jobId);
    return job && { job, compiled: await this.compiled(jobId, job.currentVersion) };
  }

  /**
   * What a preview evaluates: a draft validated as saving would (MappingConfigError otherwise), or the
   * configuration in force, the default for a job the mapper does not know yet (a read never creates one).
   */
  async forPreview(jobId: string, draft: unknown): Promise<{ compiled: CompiledJob; draft: boolean }> {
    if (draft !== undefined) return { compiled: compileJob((await this.validate(jobId, draft)).config, 0), draft: true };
    const context = await this.find(jobId);
    return { compiled: context?.compiled ?? compileJob(DEFAULT_GOTOMEETING_MAPPING, 0), draft: false };
  }

  /** The version in force if it was saved after `at`: a re-evaluation for it may have come before news it needed. */
  versionSavedAfter(jobId: string, at: string): Promise<number | null> {
    return this.repo.versionSavedAfter(jobId, at);
  }

  /**
   * The version in force for an event, read inside the event's transaction under a shared lock that a
   * configuration change takes exclusively: an event either finishes before the change commits (and
   * the re-evaluation that follows sees its user) or starts after it and uses the new version.
   */
  async forEvent(m: EntityManager, jobId: string): Promise<CompiledJob> {
    return this.compiled(jobId, await this.repo.lockVersion(m, jobId), m);
  }

  /** Creates the job with the default mapping if it has none; call before opening an event's transaction. */
  async ensure(jobId: string): Promise<void> {
    if (!this.compiledJobs.has(jobId)) await this.repo.ensure(jobId, DEFAULT_GOTOMEETING_MAPPING);
  }

  /**
   * Compiled once per version. Inside a transaction, `m` must be given: taking a second pooled
   * connection while holding one deadlocks as soon as every connection is held by a waiting job.
   */
  private async compiled(jobId: string, version: number, m?: EntityManager): Promise<CompiledJob> {
    const cached = this.compiledJobs.get(jobId);
    if (cached?.version === version) return cached;
    const compiled = compileJob(validateMappingConfig(await this.repo.config(jobId, version, m)), version);
    this.compiledJobs.set(jobId, compiled);
    return compiled;
  }

  /**
   * Validates and stores a new version (MappingConfigError on invalid input, license keys the GoTo
   * account lacks included), then re-evaluates every user.
   */
  async save(jobId: string, input: unknown): Promise<{ version: number; config: MappingConfig; licenses?: LicenseCheck }> {
    const { config, licenses } = await this.validate(jobId, input);
    const { version, first } = await this.repo.append(jobId, config);
    if (!first) void this.startRescope(jobId, version);
    return { version, config, ...(licenses ? { licenses } : {}) };
  }

  /**
   * What saving checks, without saving: the configuration; that the job's target accepts every target
   * attribute, per the schema the connector read from it or, before it has, GoTo's documented
   * attributes; and its license keys against the account's.
   */
  async validate(jobId: string, input: unknown): Promise<{ config: MappingConfig; licenses?: LicenseCheck }> {
    const config = validateMappingConfig(input, { target: targetCatalogOf(await this.targetProfiles.get(jobId)) });
    const licenses = await this.licenseKeys.check(jobId, config);
    return { config, ...(licenses ? { licenses } : {}) };
  }

  private async startRescope(jobId: string, version: number): Promise<void> {
    try {
      const compiled = await this.compiled(jobId, version);
      await this.rescope.run(jobId, version, compiled.config.deletionThreshold);
    } catch (error) {
      // Left unfinished in PostgreSQL: the next start resumes it.
      this.logger.error({ jobId, version, err: (error as Error).message }, 're-evaluation after a mapping change failed');
    }
  }

  private async applyFile(path: string): Promise<void> {
    let input: unknown;
    try {
      input = parseYaml(await readFile(path, 'utf8'));
    } catch (error) {
      throw new Error(`MAPPING_FILE ${path}: cannot read it as YAML or JSON: ${(error as Error).message}`);
    }
    const jobId = this.config.PROVISIONING_JOB_ID;
    let config: MappingConfig;
    try {
      ({ config } = await this.validate(jobId, input));
    } catch (error) {
      throw new Error(`MAPPING_FILE ${path}: ${(error as Error).message}`);
    }
    const job = await this.repo.job(jobId);
    if (job && isDeepStrictEqual(await this.repo.config(jobId, job.currentVersion), JSON.parse(JSON.stringify(config)))) return;
    const { version } = await this.save(jobId, config);
    this.logger.log({ jobId, version, path }, 'mapping configuration applied from MAPPING_FILE');
  }
}
