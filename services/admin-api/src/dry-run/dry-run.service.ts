import { Inject, Injectable, Logger, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import {
  directoryUsersPageSchema,
  knownUsersPageSchema,
  mapperDryRunReplySchema,
  mappingConfigViewSchema,
  type DryRun,
  type DryRunDecision,
  type WatchedDirectoryUser,
} from '@roster/contracts';
import { CLOCK, SERVICE_CONFIG, errorMessage, type Clock } from '@roster/platform';
import { randomUUID } from 'node:crypto';
import type { AdminApiConfig } from '../config/admin-api.config';
import { JobServices } from '../pipeline/job-services';
import { PipelineClient, PipelineRefusal, parseAnswer } from '../pipeline/pipeline-client';
import { DryRunRepository, type DryRunTotals } from './dry-run.repository';

/** Users per page read from the watcher and decided by the mapper. */
const PAGE = 500;

/**
 * A dry run: what a full cycle would send, sending nothing. The directory is read page by page
 * from the job's watcher (as a full read would) and each page is decided by the mapper against
 * what it last decided, which is what Roster knows GoTo holds; users the mapper knows that the
 * directory no longer has are decided as gone. Counts by command and the users' list are stored,
 * so any replica can page through them. A run notes its progress after each page; one without
 * progress for DRY_RUN_STALE_MS died with its admin API and is marked failed, at start and whenever runs are read.
 */
@Injectable()
export class DryRunService implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(DryRunService.name);
  private readonly running = new Set<Promise<void>>();
  private stopping = false;

  constructor(
    private readonly pipeline: PipelineClient,
    private readonly services: JobServices,
    private readonly runs: DryRunRepository,
    @Inject(SERVICE_CONFIG) private readonly config: AdminApiConfig,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** Runs a crash left `running` (this replica's before it restarted, or another's that died). */
  async onModuleInit(): Promise<void> {
    await this.failStale();
  }

  /** A run as it stands, a dead one marked failed first. */
  async get(jobId: string, runId: string): Promise<DryRun | null> {
    await this.failStale();
    return this.runs.get(jobId, runId);
  }

  async start(jobId: string): Promise<DryRun> {
    await this.services.watcher(jobId);
    const id = randomUUID();
    await this.runs.create(id, jobId, new Date(this.clock()));
    const run = this.run(jobId, id).finally(() => this.running.delete(run));
    this.running.add(run);
    return (await this.runs.get(jobId, id))!;
  }

  private async failStale(): Promise<void> {
    const failed = await this.runs.failStale(new Date(this.clock() - this.config.DRY_RUN_STALE_MS));
    if (failed > 0) this.logger.warn({ runs: failed, staleAfterMs: this.config.DRY_RUN_STALE_MS }, 'dry runs without progress marked failed: their admin API stopped');
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopping = true;
    await Promise.all(this.running);
  }

  private async run(jobId: string, runId: string): Promise<void> {
    const totals: DryRunTotals = { usersRead: 0, usersGone: 0, usersFailing: 0, usersUnchanged: 0, counts: {}, wouldHoldDeletions: false };
    try {
      const seen = new Set<string>();
      for (let after: string | undefined; ; ) {
        const page = parseAnswer('watcher', directoryUsersPageSchema, await this.pipeline.send('watcher', 'GET', '/sync/users', { query: { jobId, after, limit: PAGE } }));
        for (const user of page.items) seen.add(user.id);
        totals.usersRead += page.items.length;
        await this.decide(jobId, runId, page.items, totals);
        await this.progressed(runId);
        if (page.next === null) break;
        after = page.next;
      }
      for (let after: string | undefined; ; ) {
        const known = parseAnswer('mapper', knownUsersPageSchema, await this.pipeline.send('mapper', 'GET', `/jobs/${jobId}/dry-run/known-users`, { query: { jobId, after, limit: PAGE } }));
        const gone = known.items.filter((id) => !seen.has(id)).map((id) => goneUser(jobId, id));
        totals.usersGone += gone.length;
        await this.decide(jobId, runId, gone, totals);
        await this.progressed(runId);
        if (known.next === null) break;
        after = known.next;
      }
      const threshold = await this.deletionThreshold(jobId);
      const deprovisions = (totals.counts['user.disable'] ?? 0) + (totals.counts['user.delete'] ?? 0);
      totals.wouldHoldDeletions = threshold !== null && deprovisions > threshold;
      await this.runs.finish(runId, totals, null);
    } catch (error) {
      const message = errorMessage(error);
      this.logger.warn({ jobId, runId, err: message }, 'dry run failed');
      await this.runs.finish(runId, totals, message).catch(() => undefined);
    }
  }

  private async decide(jobId: string, runId: string, users: WatchedDirectoryUser[], totals: DryRunTotals): Promise<void> {
    if (this.stopping) throw new Error('the admin API stopped before the dry run finished');
    if (users.length === 0) return;
    const reply = parseAnswer('mapper', mapperDryRunReplySchema, await this.pipeline.send('mapper', 'POST', `/jobs/${jobId}/dry-run`, { body: { users } }));
    await this.runs.addItems(runId, reply.items);
    for (const decision of reply.items) count(totals, decision);
  }

  /** Notes a page done; a run taken for dead meanwhile (a page slower than DRY_RUN_STALE_MS) stops. */
  private async progressed(runId: string): Promise<void> {
    if (!(await this.runs.beat(runId, new Date(this.clock())))) throw new Error('the run was taken for interrupted while a page was slow; start another');
  }

  private async deletionThreshold(jobId: string): Promise<number | null> {
    const answer = await this.pipeline.call('mapper', 'GET', `/jobs/${jobId}/mapping`);
    if (answer.status === 404) return null;
    if (answer.status >= 400) throw new PipelineRefusal(answer, 'mapper');
    return parseAnswer('mapper', mappingConfigViewSchema, answer.body).config.deletionThreshold;
  }
}

function count(totals: DryRunTotals, decision: DryRunDecision): void {
  if (decision.failed) totals.usersFailing += 1;
  else if (decision.commands.length === 0) totals.usersUnchanged += 1;
  for (const command of decision.commands) totals.counts[command] = (totals.counts[command] ?? 0) + 1;
}

/** A user the mapper knows that the directory no longer has: as a full read reports it. */
function goneUser(jobId: string, id: string): WatchedDirectoryUser {
  return { provisioningJobId: jobId, id, state: 'hard-deleted', accountEnabled: false, attributes: {}, assignments: [], groups: [] };
}
