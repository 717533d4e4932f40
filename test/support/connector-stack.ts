import { Queue } from 'bullmq';
import { QueueName, type ProvisioningCommand, type ProvisioningFeedback } from '@roster/contracts';
import { DEMO_PRINCIPALS, GotoEmulator, type GotoEmulatorOptions } from '@roster/goto-emulator';
import { redisOptionsFromUrl, type Clock } from '@roster/platform';
import { TEST_REDIS_URL, TestEnvironment, commandQueue, commandsSettled, connectorEnv, jobCommandQueue, pushCommands, startService, waitFor, type RunningService } from '@roster/testing';
import { AuditAppModule } from '../../services/audit/src/app.module';
import { ConnectorAppModule } from '../../services/connector/src/app.module';

export interface ConnectorStackOptions {
  goto?: GotoEmulatorOptions;
  /** Connector environment overrides. */
  env?: Record<string, string>;
  /** Also run the audit service, so the provisioning log can be read from PostgreSQL. */
  audit?: boolean;
  /** The connectors' clock (their serving leases), for a test that steps past a lease. */
  clock?: Clock;
}

/**
 * The connector in this process against an emulator, each suite in its own schema and queue
 * prefix: what most connector suites need.
 */
export class ConnectorStack {
  readonly env = new TestEnvironment();
  readonly goto: GotoEmulator;
  /** The intake the mapper puts commands on. */
  readonly queue: Queue;
  /** The job's own command queue, which the connector's worker consumes. */
  readonly jobQueue: Queue;
  /** What the connector reports to the mapper; no mapper runs here, so the messages stay queued. */
  readonly feedbackQueue: Queue;
  private readonly auditQueue: Queue;
  connector!: RunningService;
  audit: RunningService | undefined;

  constructor(private readonly options: ConnectorStackOptions = {}) {
    this.goto = new GotoEmulator({ clients: [DEMO_PRINCIPALS.client], adminUsers: [DEMO_PRINCIPALS.admin, DEMO_PRINCIPALS.member], rateLimit: 'unthrottled', ...options.goto });
    this.queue = commandQueue(this.env.queuePrefix);
    this.jobQueue = jobCommandQueue(this.env.queuePrefix);
    this.feedbackQueue = new Queue(QueueName.ProvisioningFeedback, { connection: redisOptionsFromUrl(TEST_REDIS_URL), prefix: this.env.queuePrefix });
    this.auditQueue = new Queue(QueueName.AuditRecords, { connection: redisOptionsFromUrl(TEST_REDIS_URL), prefix: this.env.queuePrefix });
  }

  /** `env`: connector environment only known now (e.g. a webhook's URL), on top of the options'. */
  async start(env: Record<string, string> = {}): Promise<this> {
    this.options.env = { ...this.options.env, ...env };
    await this.goto.start();
    if (this.options.audit) this.audit = await startService(AuditAppModule.forRoot(this.env.env()));
    this.connector = await this.startConnector();
    return this;
  }

  /** Another connector on the same database, queues and shared Redis state: a replica. */
  startConnector(overrides: Record<string, string> = {}): Promise<RunningService> {
    return startService(ConnectorAppModule.forRoot(connectorEnv(this.env, this.goto, { ...this.options.env, ...overrides }), { clock: this.options.clock }));
  }

  async stop(...extra: RunningService[]): Promise<void> {
    for (const service of [...extra, this.connector, this.audit]) await service?.app.close();
    await this.queue.close();
    await this.jobQueue.close();
    await this.feedbackQueue.close();
    await this.auditQueue.close();
    await this.goto.stop();
    await this.env.dispose();
  }

  push(commands: ProvisioningCommand[]): Promise<void> {
    return pushCommands(this.queue, commands);
  }

  /** No command left to run, and (with the audit service) every record the connector committed stored in the log. */
  settled(what = 'every command to settle', timeoutMs = 30_000): Promise<true> {
    return waitFor(async () => (await commandsSettled(this.queue, this.jobQueue)) && (!this.audit || (await this.logged())), { what, timeoutMs, intervalMs: 100 });
  }

  /** The audit outbox relayed everything, and the audit service took it all from its queue. */
  private async logged(): Promise<boolean> {
    const [{ unsent }] = await this.env.query<{ unsent: number }>(`SELECT count(*)::int AS unsent FROM audit_outbox_pending`);
    return unsent === 0 && (await commandsSettled(this.auditQueue));
  }

  /** Provisioning-log rows the audit service stored, oldest first. */
  logs(where = 'true', params: unknown[] = []) {
    return this.env.query<{ step: string; status: string; action: string; reason: string | null; message_id: string | null; attempt: number | null; duration_ms: number | null; details: Record<string, unknown> | null; error: { kind: string; status?: number; body?: unknown } | null }>(
      `SELECT step, status, action, reason, message_id, attempt, duration_ms, details, error FROM provisioning_log WHERE service = 'connector' AND ${where} ORDER BY occurred_at, id`,
      params,
    );
  }

  /** The feedback messages the connector has queued for the mapper, oldest first. */
  async feedback(): Promise<ProvisioningFeedback[]> {
    const jobs = await this.feedbackQueue.getJobs(['waiting', 'delayed', 'prioritized']);
    return jobs.sort((a, b) => a.timestamp - b.timestamp).map((job) => job.data as ProvisioningFeedback);
  }

  deadLetters() {
    return this.env.query<{ id: string; idempotency_key: string; reason: string; error: { kind: string; status?: number; body?: unknown }; status: string; attempts: number }>(
      `SELECT id::text, idempotency_key, reason, error, status, attempts FROM connector_dead_letter ORDER BY id`,
    );
  }
}
