import { HttpException, Inject, Injectable, ServiceUnavailableException } from '@nestjs/common';
import {
  connectorTestConnectionReplySchema,
  type ConnectionVerdict,
  type ProvisioningJobSettings,
  type ValidateCredentialsReply,
} from '@roster/contracts';
import { GraphClient } from '@roster/graph-client';
import { SERVICE_CONFIG } from '@roster/platform';
import type { AdminApiConfig } from '../config/admin-api.config';
import { JobServices } from '../pipeline/job-services';
import { PipelineClient, PipelineRefusal, parseAnswer } from '../pipeline/pipeline-client';
import { ProvisioningJobsService } from '../provisioning-jobs/provisioning-jobs.service';
import { sourceVerdictOf } from './source-verdict';

/** How long a Test Connection waits for the connector to run the job's latest settings (it follows the record within a moment). */
const APPLY_WAIT_MS = 10_000;
const APPLY_POLL_MS = 100;

/** A 429 of the connector's per-job Test Connection slot, passed on with its Retry-After. */
export class TestConnectionThrottled extends HttpException {
  constructor(
    body: object,
    readonly retryAfter: string | null,
  ) {
    super(body, 429);
  }
}

/**
 * Entra's Test Connection for both ends of a job, with the job's saved credentials: the directory
 * source (checked here, with Graph) and GoTo (the connector's own Test Connection, so its verdicts,
 * schema and license checks are the ones provisioning relies on).
 */
@Injectable()
export class CredentialsService {
  constructor(
    private readonly jobs: ProvisioningJobsService,
    private readonly pipeline: PipelineClient,
    private readonly services: JobServices,
    @Inject(SERVICE_CONFIG) private readonly config: AdminApiConfig,
  ) {}

  async validate(id: string, resume: boolean): Promise<ValidateCredentialsReply> {
    const { settings, revision } = await this.jobs.withCredentials(id);
    const [source, goto] = await Promise.all([this.checkSource(settings.source), this.checkGoto(id, revision, resume)]);
    return { source: { kind: settings.source.kind, ...source }, goto };
  }

  private async checkSource(source: ProvisioningJobSettings['source']): Promise<ConnectionVerdict> {
    if (source.kind === 'demo') return { ok: true, accountName: 'demo directory', notes: ['the built-in demo directory needs no credentials'] };
    const { tenantId, clientId, clientSecret, servicePrincipalId } = source.settings;
    if (!clientSecret) return { ok: false, reason: 'bad-credentials', detail: 'no client secret is stored for the app registration (source.settings.clientSecret)' };
    const graph = new GraphClient({
      endpoints: { loginUrl: this.config.GRAPH_LOGIN_URL, graphUrl: this.config.GRAPH_URL },
      credentials: { tenantId, clientId, clientSecret },
      timeoutMs: Math.min(this.config.PIPELINE_TIMEOUT_MS, 15_000),
      maxThrottleRetries: 0,
    });
    try {
      const app = await graph.getServicePrincipal(servicePrincipalId);
      return { ok: true, accountName: app.displayName ?? servicePrincipalId, notes: [] };
    } catch (error) {
      return sourceVerdictOf(error, servicePrincipalId);
    }
  }

  private async checkGoto(id: string, revision: number, resume: boolean) {
    await this.connectorRunning(id, revision);
    const answer = await this.pipeline.call('connector', 'POST', '/test-connection', { body: { resume } });
    if (answer.status === 429) throw new TestConnectionThrottled(answer.body as object, answer.retryAfter);
    if (answer.status >= 400) throw new PipelineRefusal(answer, 'connector');
    return parseAnswer('connector', connectorTestConnectionReplySchema, answer.body);
  }

  /** The connector tests what it runs: wait until it runs the settings just saved. */
  private async connectorRunning(id: string, revision: number): Promise<void> {
    const deadline = Date.now() + APPLY_WAIT_MS;
    for (;;) {
      const status = await this.services.connector(id);
      if (status.revision >= revision) return;
      if (Date.now() > deadline) {
        throw new ServiceUnavailableException(`the connector still runs revision ${status.revision} of job ${id}, not ${revision} just saved; try again in a moment`);
      }
      await new Promise((resolve) => setTimeout(resolve, APPLY_POLL_MS));
    }
  }
}
