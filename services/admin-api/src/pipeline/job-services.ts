import { ConflictException, Injectable } from '@nestjs/common';
import { connectorStatusSchema, watcherSyncStatusSchema, type ConnectorStatus, type WatcherSyncStatus } from '@roster/contracts';
import type { z } from 'zod';
import { PipelineClient, parseAnswer, type PipelineService } from './pipeline-client';

/**
 * The watcher and the connector each run one job (their PROVISIONING_JOB_ID): before an action
 * that is not scoped by job on their side (Test Connection, reconciliation, a restart) reaches
 * them, their status says whether they run the job asked for. The mapper serves every job by id.
 */
@Injectable()
export class JobServices {
  constructor(private readonly pipeline: PipelineClient) {}

  connector(jobId: string): Promise<ConnectorStatus> {
    return this.statusOf('connector', '/status', connectorStatusSchema, jobId);
  }

  watcher(jobId: string): Promise<WatcherSyncStatus> {
    return this.statusOf('watcher', '/sync/status', watcherSyncStatusSchema, jobId);
  }

  private async statusOf<S extends z.ZodType<{ provisioningJobId: string }>>(service: PipelineService, path: string, schema: S, jobId: string): Promise<z.infer<S>> {
    const status = parseAnswer(service, schema, await this.pipeline.send(service, 'GET', path));
    if (status.provisioningJobId !== jobId) throw new ConflictException(`the ${service} this admin API reaches runs job ${status.provisioningJobId}, not ${jobId}`);
    return status;
  }
}
