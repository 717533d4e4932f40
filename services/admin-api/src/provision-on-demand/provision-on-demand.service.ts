import { Inject, Injectable, NotFoundException } from '@nestjs/common';
import {
  onDemandImportSchema,
  provisioningObjectSummaryPageSchema,
  type OnDemandImport,
  type ProvisioningObjectSummary,
  type ProvisionOnDemandResult,
} from '@roster/contracts';
import { SERVICE_CONFIG } from '@roster/platform';
import { onDemandOutcome } from '@roster/provisioning-log';
import { setTimeout as sleep } from 'node:timers/promises';
import type { AdminApiConfig } from '../config/admin-api.config';
import { JobServices } from '../pipeline/job-services';
import { PipelineClient, parseAnswer } from '../pipeline/pipeline-client';

/** How often the provisioning log is read while waiting for the outcome. */
const POLL_MS = 250;

/**
 * Provisioning on demand through the real pipeline: the job's watcher reads the user and sends it
 * as a change (restating its whole state), the mapper decides and the connector writes, each
 * logging under the change's id like any change; the outcome is read from those records, so it
 * cannot disagree with what provisioning did.
 */
@Injectable()
export class ProvisionOnDemandService {
  constructor(
    private readonly pipeline: PipelineClient,
    private readonly services: JobServices,
    @Inject(SERVICE_CONFIG) private readonly config: AdminApiConfig,
  ) {}

  /** Sends the user now and waits (ON_DEMAND_WAIT_MS at most) for every step's outcome. */
  async provision(jobId: string, userId: string, requestedBy: string): Promise<ProvisionOnDemandResult> {
    await this.services.watcher(jobId);
    const answer = await this.pipeline.send('watcher', 'POST', `/sync/users/${encodeURIComponent(userId)}/provision-on-demand`, { body: { requestedBy }, query: { jobId } });
    const imported = parseAnswer('watcher', onDemandImportSchema, answer);
    // Counted in polls, not by a clock: a test's stepped clock cannot make the wait endless.
    for (let polls = Math.ceil(this.config.ON_DEMAND_WAIT_MS / POLL_MS); ; polls--) {
      const outcome = onDemandOutcome(imported, imported.changeId === null ? [] : await this.records(jobId, imported.changeId));
      if (outcome.complete || polls <= 0) return outcome;
      await sleep(POLL_MS);
    }
  }

  /** The outcome of an earlier request, as the log has it now. */
  async outcome(jobId: string, changeId: string): Promise<ProvisionOnDemandResult> {
    const records = await this.records(jobId, changeId);
    const imported = records.find((r) => r.roster.service === 'directory-watcher' && r.roster.details?.onDemand === true);
    if (!imported) throw new NotFoundException(`no change "${changeId}" provisioned on demand in job ${jobId}`);
    const watcher: OnDemandImport = { provisioningJobId: jobId, userId: imported.sourceIdentity.id, changeId, event: null, steps: imported.provisioningSteps };
    return onDemandOutcome(watcher, records);
  }

  private async records(jobId: string, changeId: string): Promise<ProvisioningObjectSummary[]> {
    const page = await this.pipeline.send('audit', 'GET', '/auditLogs/provisioning', { query: { jobId, changeId, $top: 1000 } });
    return parseAnswer('audit', provisioningObjectSummaryPageSchema, page).value;
  }
}
