import type { DynamicModule } from '@nestjs/common';
import { Queue } from 'bullmq';
import { QueueName, type AssignmentChangeEvent, type MappingConfigInput } from '@roster/contracts';
import { DEMO_PRINCIPALS, GotoEmulator, type GotoEmulatorOptions } from '@roster/goto-emulator';
import { assignmentChangeBatches, redisOptionsFromUrl } from '@roster/platform';
import { TEST_APP_ROLE, TestEnvironment, captureLogs, connectorEnv, getJson, sendJson, startService, waitFor, waitForQueuesToDrain, type RunningService } from '@roster/testing';
import { AuditAppModule } from '../../services/audit/src/app.module';
import { ConnectorAppModule } from '../../services/connector/src/app.module';
import { MapperAppModule } from '../../services/mapper/src/app.module';
import { WatcherAppModule } from '../../services/directory-watcher/src/app.module';

export interface LogEntry {
  id: string;
  service: string;
  action: string;
  step: string;
  status: string;
  reason: string | null;
  sourceId: string | null;
  targetId: string | null;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
  details: Record<string, unknown> | null;
  error: { status?: number; body?: unknown } | null;
}

/**
 * The four services in-process against the real Redis and PostgreSQL, in their own schema and
 * queue prefix, talking to a GoTo emulator: what the e2e and integration suites drive.
 */
export class Pipeline {
  readonly goto: GotoEmulator;
  private readonly services: RunningService[] = [];
  watcher!: RunningService;
  mapper!: RunningService;
  connector!: RunningService;
  audit!: RunningService;
  private seq = 0;
  private common: Record<string, string> = {};
  private startOne: (module: DynamicModule) => Promise<RunningService> = startService;

  constructor(
    gotoOptions: GotoEmulatorOptions = {},
    readonly env = new TestEnvironment(),
  ) {
    this.goto = new GotoEmulator({ clients: [DEMO_PRINCIPALS.client], rateLimit: 'unthrottled', ...gotoOptions });
  }

  /** `services.logs`: every service's JSON log lines go there instead of standard output (see captureLogs). */
  async start(extraEnv: Record<string, string> = {}, services: { watcher?: boolean; logs?: string[] } = {}): Promise<this> {
    await this.goto.start();
    const common = { RETRY_BASE_DELAY_MS: '50', RETRY_MAX_DELAY_MS: '200', WATCH_POLL_INTERVAL_MS: '500', ...extraEnv };
    this.common = common;
    this.startOne = (module: DynamicModule) => startService(services.logs ? captureLogs(module, services.logs) : module);
    const start = this.startOne;
    this.audit = await start(AuditAppModule.forRoot(this.env.env(extraEnv)));
    if (services.watcher !== false) this.watcher = await start(WatcherAppModule.forRoot(this.env.env(common)));
    this.mapper = await start(MapperAppModule.forRoot(this.env.env(common)));
    this.connector = await start(ConnectorAppModule.forRoot(connectorEnv(this.env, this.goto, common)));
    this.services.push(this.audit, ...(this.watcher ? [this.watcher] : []), this.mapper, this.connector);
    return this;
  }

  /** Stops the watcher and starts it again with the same settings, e.g. after the test changed its tables. */
  async restartWatcher(): Promise<void> {
    await this.watcher.app.close();
    const started = await this.startOne(WatcherAppModule.forRoot(this.env.env(this.common)));
    this.services[this.services.indexOf(this.watcher)] = started;
    this.watcher = started;
  }

  get all(): RunningService[] {
    return this.services;
  }

  async stop(): Promise<void> {
    for (const s of [...this.services].reverse()) await s.app.close();
    await this.goto.stop();
    await this.env.dispose();
  }

  /** Adds a user to the demo directory and assigns it to the app; returns its id. */
  async assignNewUser(local: string, extra: Record<string, string> = {}, domain = 'example.com'): Promise<string> {
    const id = `u${++this.seq}-${this.env.id}`;
    const created = await sendJson('POST', `${this.watcher.url}/directory/users`, {
      id,
      userPrincipalName: `${local}@${domain}`,
      attributes: { givenName: 'Ada', surname: local, displayName: `Ada ${local}`, mail: `${local}@${domain}`, ...extra },
    });
    if (created.status !== 201) throw new Error(`create user: ${created.status} ${JSON.stringify(created.body)}`);
    await this.assign(id);
    return id;
  }

  async assign(id: string): Promise<void> {
    const res = await sendJson('POST', `${this.watcher.url}/directory/assignments`, { principalType: 'User', principalId: id, appRoleId: TEST_APP_ROLE });
    if (res.status !== 204) throw new Error(`assign: ${res.status} ${JSON.stringify(res.body)}`);
  }

  /** Saves a mapping configuration and waits until it is in force and every user was re-evaluated under it. */
  async saveMapping(config: MappingConfigInput, jobId = 'gotomeeting'): Promise<number> {
    const res = await sendJson<{ version: number }>('PUT', `${this.mapper.url}/jobs/${jobId}/mapping`, config);
    if (res.status !== 200) throw new Error(`PUT mapping: ${res.status} ${JSON.stringify(res.body)}`);
    const version = res.body.version;
    await waitFor(async () => {
      const s = (await getJson<{ currentVersion: number; rescopeInProgress: boolean }>(`${this.mapper.url}/jobs/${jobId}`)).body;
      return s.currentVersion === version && !s.rescopeInProgress;
    }, { what: `mapping v${version} in force` });
    return version;
  }

  async logs(query: string): Promise<LogEntry[]> {
    return (await getJson<{ items: LogEntry[] }>(`${this.audit.url}/provisioning-logs?limit=1000&${query}`)).body.items;
  }

  logsOf(userId: string): Promise<LogEntry[]> {
    return this.logs(`userId=${encodeURIComponent(userId)}`);
  }

  /** Puts events straight on the assignment-changes queue, each in a batch of its own. */
  async emit(events: AssignmentChangeEvent[]): Promise<void> {
    const queue = this.queue(QueueName.AssignmentChanges);
    try {
      for (const [batch] of events.map((e) => assignmentChangeBatches([e]))) await queue.add(batch.events[0].type, batch, { jobId: batch.id });
    } finally {
      await queue.close();
    }
  }

  /** Resolves once no queue holds work: whatever was emitted so far has been decided, executed and logged. */
  quiet(): Promise<void> {
    return waitForQueuesToDrain(this.env.redisUrl, this.env.queuePrefix, Object.values(QueueName));
  }

  queue(name: string): Queue {
    return new Queue(name, { connection: redisOptionsFromUrl(this.env.redisUrl), prefix: this.env.queuePrefix });
  }
}

export const findLog = (entries: LogEntry[], service: string, action: string, step: string): LogEntry | undefined =>
  entries.find((e) => e.service === service && e.action === action && e.step === step);
