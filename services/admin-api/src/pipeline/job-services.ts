import { ConflictException, Injectable } from '@nestjs/common';
import { connectorStatusSchema, watcherSyncStatusSchema, type ConnectorStatus, type WatcherSyncStatus } from '@roster/contracts';
import type { z } from 'zod';
import { PipelineClient, parseAnswer, type PipelineService } from './pipeline-client';

/**
 * The connector runs one job (its PROVISIONING_JOB_ID): before an action that is not scoped by job
 * on its side (Test Connection, reconciliation) reaches it, its status says whether it runs the job
 * asked for. The watcher and the mapper serve every job by id; the watcher's status says whether it
 * reads the job's directory (a 404 when it does not serve the job, or an error when its source cannot be opened).
 */
@Injectable()
export class JobServices {
  constructor(private readonly pipeline: PipelineClient) {}

  connector(jobId: string): Promise<ConnectorStatus> {
    return this.statusOf('connector', '/status', connectorStatusSchema, jobId);
  }

  watcher(jobId: string): Promise<WatcherSyncStatus> {
    return this.statusOf('watcher', '/sync/status', watcherSyncStatusSchema, jobId, { jobId });
  }

  private async statusOf<S extends z.ZodType<{ provisioningJobId: string }>>(
    service: PipelineService,
    path: string,
    schema: S,
    jobId: string,
    query?: Record<string, string>,
  ): Promise<z.infer<S>> {
    const status = parseAnswer(service, schema, await this.pipeline.send(service, 'GET', path, query ? { query } : {}));
    if (status.provisioningJobId !== jobId) throw new ConflictException(`the ${service} this admin API reaches runs job ${status.provisioningJobId}, not ${jobId}`);
    return status;
  }
}
