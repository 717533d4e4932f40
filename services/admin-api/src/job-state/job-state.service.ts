import { Inject, Injectable, Logger, NotFoundException } from '@nestjs/common';
import { mapperJobStatusSchema, type ProvisioningJobStateDetail, type ProvisioningJobStateName, type ProvisioningJobView, type RestartRequest } from '@roster/contracts';
import { AuditEmitter, CLOCK, ProvisioningJobRecords, type Clock, type StoredJob } from '@roster/platform';
import { JobServices } from '../pipeline/job-services';
import { PipelineClient, PipelineRefusal, parseAnswer } from '../pipeline/pipeline-client';
import { JobChangeAnnouncer } from '../provisioning-jobs/job-change.announcer';
import { ProvisioningJobsService } from '../provisioning-jobs/provisioning-jobs.service';
import { activityOf, runningStateOf, type DerivedState, type JobFacts } from './job-state-machine';

type AdminAction = 'start' | 'pause' | 'restart';
/** Who changes a state the pipeline reported. */
const ROSTER = 'roster';
const WARNING_STATES: ProvisioningJobStateName[] = ['quarantined', 'needs-approval', 'failed'];

/**
 * The job state machine: `paused` is the admin's (Provisioning Status Off), every other state is
 * read from the job's services (see runningStateOf). Each change is one write of the job's record
 * (a new revision, announced to the services) and one provisioning-log record, so the log tells
 * when a job was paused, quarantined or waited for approval, and who did it.
 */
@Injectable()
export class JobStateService {
  private readonly logger = new Logger(JobStateService.name);

  constructor(
    private readonly records: ProvisioningJobRecords,
    private readonly jobs: ProvisioningJobsService,
    private readonly services: JobServices,
    private readonly pipeline: PipelineClient,
    private readonly changes: JobChangeAnnouncer,
    private readonly audit: AuditEmitter,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** Provisioning Status On: the job runs again from where it was (queued work included). */
  async start(id: string, by: string): Promise<ProvisioningJobView> {
    const job = await this.stored(id);
    if (job.state === 'paused') {
      // Until its services answer, a job turned on is taken to begin with a full cycle; the monitor corrects it.
      const derived = (await this.derive(id).catch(() => null)) ?? { state: 'initial-sync', reason: null };
      await this.move(job, derived.state, this.detail(derived.reason ?? `turned on by ${by}`, by, derived.nextProbeAt), 'start');
    }
    return this.jobs.get(id);
  }

  /** Provisioning Status Off: nothing more is sent to GoTo; what is queued waits, and runs when turned on. */
  async pause(id: string, by: string): Promise<ProvisioningJobView> {
    const job = await this.stored(id);
    if (job.state !== 'paused') await this.move(job, 'paused', this.detail(`paused by ${by}`, by), 'pause');
    return this.jobs.get(id);
  }

  /**
   * Forgets the saved position and restates every user in a fresh initial cycle, optionally ending
   * a quarantine and deciding held deletions first; the job is turned on. The services act before
   * the state changes, so a refusal leaves the job as it was.
   */
  async restart(id: string, by: string, request: RestartRequest): Promise<ProvisioningJobView> {
    await this.stored(id);
    if (request.heldDeletions !== 'keep') {
      const answer = await this.pipeline.call('mapper', 'POST', `/jobs/${id}/held-deletions/${request.heldDeletions}`);
      if (answer.status >= 400 && answer.status !== 404) throw new PipelineRefusal(answer, 'mapper');
    }
    if (request.resetQuarantine) {
      await this.services.connector(id);
      await this.pipeline.send('connector', 'DELETE', '/quarantine');
    }
    await this.services.watcher(id);
    await this.pipeline.send('watcher', 'POST', '/sync/restart', { query: { jobId: id } });
    const options = [request.resetQuarantine && 'quarantine reset', request.heldDeletions !== 'keep' && `held deletions ${request.heldDeletions}d`].filter(Boolean);
    const reason = `restarted by ${by}${options.length ? ` (${options.join(', ')})` : ''}: every user is restated`;
    await this.move(await this.stored(id), 'initial-sync', this.detail(reason, by), 'restart');
    return this.jobs.get(id);
  }

  /** The monitor's look at a turned-on job: its state as its services report it now. */
  async observe(job: StoredJob): Promise<void> {
    if (job.state === 'paused') return;
    const derived = await this.derive(job.id);
    const detail = job.stateDetail;
    if (derived.state === job.state && detail?.reason === derived.reason && detail?.nextProbeAt === derived.nextProbeAt) return;
    const since = derived.state === job.state && detail ? detail.since : undefined;
    await this.move(job, derived.state, this.detail(derived.reason, ROSTER, derived.nextProbeAt, since), null);
  }

  private async derive(id: string): Promise<DerivedState> {
    const [connector, watcher, mapper] = await Promise.all([this.services.connector(id), this.services.watcher(id), this.mapperStatus(id)]);
    return runningStateOf({ connector, watcher, mapper } satisfies JobFacts);
  }

  private async mapperStatus(id: string): Promise<JobFacts['mapper']> {
    const answer = await this.pipeline.call('mapper', 'GET', `/jobs/${id}`);
    if (answer.status === 404) return null;
    if (answer.status >= 400) throw new PipelineRefusal(answer, 'mapper');
    return parseAnswer('mapper', mapperJobStatusSchema, answer.body);
  }

  /**
   * Writes the new state if the job is still in the one read (else someone else moved it, and that
   * move is the one logged). A change of detail alone (a quarantine's next probe) is written, not logged.
   */
  private async move(job: StoredJob, to: ProvisioningJobStateName, detail: ProvisioningJobStateDetail, action: AdminAction | null): Promise<void> {
    const moved = await this.records.transition(job.id, job.state, to, detail);
    if (!moved) return;
    await this.changes.announce({ jobId: job.id, revision: moved.revision, reason: action === 'restart' ? 'restart' : 'state' });
    if (job.state === to && action === null) return;
    this.logger.log({ provisioningJobId: job.id, from: job.state, to, by: detail.by, revision: moved.revision }, 'provisioning job state changed');
    await this.audit.record({
      provisioningJobId: job.id,
      correlationId: `${job.id}/state/${moved.revision}`,
      action: 'Other',
      step: action ? 'executed' : 'computed',
      status: WARNING_STATES.includes(to) ? 'warning' : 'success',
      reason: `job state ${job.state} → ${to}${detail.reason ? `: ${detail.reason}` : ''}`,
      details: { activity: activityOf(to, action), from: job.state, to, by: detail.by, ...(detail.nextProbeAt ? { nextProbeAt: detail.nextProbeAt } : {}) },
    });
  }

  private detail(reason: string | null, by: string, nextProbeAt?: string, since?: string): ProvisioningJobStateDetail {
    return { since: since ?? new Date(this.clock()).toISOString(), reason, by, ...(nextProbeAt ? { nextProbeAt } : {}) };
  }

  private async stored(id: string): Promise<StoredJob> {
    const job = await this.records.find(id);
    if (!job) throw new NotFoundException(`no provisioning job ${id}`);
    return job;
  }
}
