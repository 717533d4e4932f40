import { Queue } from 'bullmq';
import { QueueName, type AuditRecord, type ProvisioningObjectSummary, type ProvisioningObjectSummaryPage } from '@roster/contracts';
import { SecretBox, redisOptionsFromUrl, type Clock } from '@roster/platform';
import { INTERNAL_CALLER, TEST_REDIS_URL, TestEnvironment, startService, type RunningService } from '@roster/testing';
import { AuditAppModule } from '../../services/audit/src/app.module';
import { ProvisioningLogRepository } from '../../services/audit/src/provisioning-logs/provisioning-log.repository';
import { startAdminApi } from './admin-api';

/**
 * The audit service and the admin API in front of it, without the rest of the pipeline: records go
 * in through the audit queue (or straight into the repository, for volume) and are read as an admin
 * (a reader key) reads them.
 */
export class LogStack {
  readonly env = new TestEnvironment();
  audit!: RunningService;
  api!: RunningService;
  readerKey!: string;
  private queue?: Queue;

  async start(options: { clock?: Clock; auditEnv?: Record<string, string> } = {}): Promise<this> {
    this.audit = await startService(AuditAppModule.forRoot(this.env.env(options.auditEnv), { clock: options.clock }));
    const api = await startAdminApi(this.env.env({ ROSTER_SECRET_KEY: SecretBox.generateKey(), AUDIT_URL: this.audit.url, AUTH_FAILURE_LIMIT: '100000' }));
    this.api = api;
    this.readerKey = api.readerKey;
    return this;
  }

  async stop(): Promise<void> {
    await this.queue?.close();
    await this.api?.app.close();
    await this.audit?.app.close();
    await this.env.dispose();
  }

  /** Records the way services send them: one audit-queue job per batch. */
  async send(batchId: string, records: AuditRecord[]): Promise<void> {
    this.queue ??= new Queue(QueueName.AuditRecords, { connection: redisOptionsFromUrl(TEST_REDIS_URL), prefix: this.env.queuePrefix });
    await this.queue.add('audit', { version: 1, id: batchId, records });
  }

  /** Records stored at once, as the audit job would store them. */
  store(records: AuditRecord[]): Promise<void> {
    return this.audit.app.get(ProvisioningLogRepository).insertMany(records);
  }

  /** GET on the admin API with the reader key. */
  async read<T = unknown>(pathAndQuery: string): Promise<{ status: number; body: T }> {
    const res = await fetch(`${this.api.url}${pathAndQuery}`, { headers: { authorization: `Bearer ${this.readerKey}` } });
    return { status: res.status, body: (await res.json()) as T };
  }

  /** GET on the audit service itself, as the admin API calls it. */
  async readInternal<T = unknown>(pathAndQuery: string): Promise<{ status: number; body: T }> {
    const res = await fetch(pathAndQuery.startsWith('http') ? pathAndQuery : `${this.audit.url}${pathAndQuery}`, { headers: INTERNAL_CALLER });
    return { status: res.status, body: (await res.json()) as T };
  }

  /** Each page of a query on the audit service, following @odata.nextLink to the end. */
  async *pages(query: URLSearchParams): AsyncGenerator<ProvisioningObjectSummary[]> {
    let next: string | undefined = `/auditLogs/provisioning?${query}`;
    while (next) {
      const { status, body }: { status: number; body: ProvisioningObjectSummaryPage } = await this.readInternal(next);
      if (status !== 200) throw new Error(`${next}: ${status} ${JSON.stringify(body)}`);
      yield body.value;
      next = body['@odata.nextLink'];
    }
  }
}
