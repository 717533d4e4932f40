import { Queue } from 'bullmq';
import { QueueName, jobCommandQueueName } from '@roster/contracts';
import { DEMO_PRINCIPALS, GotoEmulator } from '@roster/goto-emulator';
import { DEMO_TENANT, GraphEmulator, demoTenantWatcherEnv } from '@roster/graph-emulator';
import { redisOptionsFromUrl } from '@roster/platform';
import { PostgresCluster } from '../process/postgres-cluster';
import { RedisServer } from '../process/redis-server';
import { ServiceProcess, ensureServicesBuilt, type ServiceName } from '../process/service-process';
import { INTERNAL_CALLER } from '../service-harness';
import { TEST_INTERNAL_TOKEN } from '../test-environment';
import { TEST_JOB_ID } from '../factories/a-command';
import type { ExecutedRecord } from './log-check';

export interface ChaosStackOptions {
  /** Redis with an append-only file (everysec). */
  aof: boolean;
  /** Replicas of the mapper and the connector (the watcher leads alone; audit is idempotent). */
  replicas?: Partial<Record<'mapper' | 'connector', number>>;
  /** Extra variables for every service, e.g. RECONCILE_INTERVAL_MS. */
  env?: Record<string, string>;
}

const SERVICES: readonly ServiceName[] = ['audit', 'directory-watcher', 'mapper', 'connector'];
// The one job the chaos stack runs has its own command queue, fed from the intake.
const ALL_QUEUES = [...Object.values(QueueName), jobCommandQueueName(TEST_JOB_ID)];
const PREFIX = 'chaos';

/**
 * Roster as an operator runs it, on infrastructure the test owns: its own PostgreSQL cluster and
 * redis-server (so they may be killed), the four services as separate processes from dist/, the
 * Graph emulator as the directory (Entra source) and the GoTo emulator as GoToMeeting. `stop`
 * removes everything it started, temp dirs included, whatever state it is in.
 */
export class ChaosStack {
  readonly graph = new GraphEmulator({ deltaPageSize: 500 });
  readonly goto: GotoEmulator;
  postgres!: PostgresCluster;
  redis!: RedisServer;
  private readonly running = new Map<string, ServiceProcess>();
  private readonly ports = new Map<string, number>();

  constructor(private readonly options: ChaosStackOptions) {
    this.goto = new GotoEmulator({
      clients: [DEMO_PRINCIPALS.client],
      // A Team Admin who may change GoTo by hand (drift tests), as another principal than Roster.
      adminUsers: [DEMO_PRINCIPALS.admin],
      rateLimit: 'unthrottled',
      verifiedDomains: [DEMO_TENANT.tenantDomain],
    });
  }

  /** Infrastructure and emulators, but no service yet: seed the directory, then `startServices`. */
  async start(): Promise<this> {
    ensureServicesBuilt(SERVICES);
    await this.graph.start();
    await this.goto.start();
    this.postgres = await PostgresCluster.start();
    this.redis = await RedisServer.start({ aof: this.options.aof });
    return this;
  }

  /** Every replica of every service; audit first, since it owns the log the others write to. */
  async startServices(): Promise<void> {
    await this.startReplica('audit', 0);
    await Promise.all(this.replicaKeys().filter(([name]) => name !== 'audit').map(([name, i]) => this.startReplica(name, i)));
  }

  /** Instances, e.g. `connector#1`. */
  replicaKeys(): [ServiceName, number][] {
    return SERVICES.flatMap((name) => {
      const count = name === 'mapper' || name === 'connector' ? (this.options.replicas?.[name] ?? 1) : 1;
      return Array.from({ length: count }, (_, i) => [name, i] as [ServiceName, number]);
    });
  }

  /** kill -9 of one instance. */
  async kill(name: ServiceName, replica = 0): Promise<void> {
    const key = `${name}#${replica}`;
    await this.running.get(key)?.kill('SIGKILL');
    this.running.delete(key);
  }

  /** Starts an instance again on its port, with the same settings. */
  restart(name: ServiceName, replica = 0): Promise<void> {
    return this.startReplica(name, replica);
  }

  /** Base URL of a running instance. */
  runningUrl(name: ServiceName, replica = 0): string {
    const service = this.running.get(`${name}#${replica}`);
    if (!service) throw new Error(`${name}#${replica} is not running`);
    return service.url;
  }

  /** True when no queue has a job waiting, delayed, prioritized or active. */
  async queuesDrained(): Promise<boolean> {
    const queues = ALL_QUEUES.map((name) => new Queue(name, { connection: { ...redisOptionsFromUrl(this.redis.url), maxRetriesPerRequest: 1 }, prefix: PREFIX }));
    try {
      const counts = await Promise.all(queues.map((q) => q.getJobCounts('waiting', 'active', 'delayed', 'prioritized', 'waiting-children')));
      return counts.every((c) => Object.values(c).every((n) => n === 0));
    } catch {
      return false;
    } finally {
      await Promise.all(queues.map((q) => q.close().catch(() => undefined)));
    }
  }

  /** Every `executed` record of the connector, through the audit service's API. */
  async executedRecords(): Promise<ExecutedRecord[]> {
    const records: ExecutedRecord[] = [];
    let cursor: string | null = null;
    do {
      const page = `${this.runningUrl('audit')}/provisioning-logs?service=connector&step=executed&limit=1000${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
      const res = await fetch(page, { headers: INTERNAL_CALLER });
      if (!res.ok) throw new Error(`GET provisioning-logs: ${res.status} ${await res.text()}`);
      const body = (await res.json()) as { items: ExecutedRecord[]; nextCursor: string | null };
      records.push(...body.items);
      cursor = body.nextCursor;
    } while (cursor);
    return records;
  }

  /** The last output of every instance, for a failure message. */
  recentOutput(): string {
    return [...this.running].map(([key, p]) => `--- ${key}\n${p.recentOutput}`).join('\n');
  }

  async stop(): Promise<void> {
    const steps: (() => Promise<unknown>)[] = [
      () => Promise.all([...this.running.values()].map((p) => p.kill('SIGKILL'))),
      () => this.goto.stop(),
      () => this.graph.stop(),
      () => this.redis?.stop() ?? Promise.resolve(),
      () => this.postgres?.stop() ?? Promise.resolve(),
    ];
    for (const step of steps) await step().catch(() => undefined);
    this.running.clear();
  }

  private async startReplica(name: ServiceName, replica: number): Promise<void> {
    const key = `${name}#${replica}`;
    const service = await ServiceProcess.start(name, this.envOf(name), this.ports.get(key));
    this.ports.set(key, service.port);
    this.running.set(key, service);
  }

  private envOf(name: ServiceName): Record<string, string> {
    const common: Record<string, string> = {
      DATABASE_URL: this.postgres.url,
      REDIS_URL: this.redis.url,
      DATABASE_SCHEMA: 'roster',
      QUEUE_PREFIX: PREFIX,
      LOG_LEVEL: process.env.CHAOS_LOG_LEVEL ?? 'warn',
      SHUTDOWN_GRACE_MS: '2000',
      // A killed instance's jobs are taken up again within about 4 s.
      QUEUE_LOCK_MS: '3000',
      QUEUE_STALLED_CHECK_MS: '1000',
      RETRY_BASE_DELAY_MS: '200',
      RETRY_MAX_DELAY_MS: '5000',
      ROSTER_INTERNAL_TOKEN: TEST_INTERNAL_TOKEN,
      ...this.options.env,
    };
    switch (name) {
      case 'directory-watcher':
        return { ...common, ...demoTenantWatcherEnv(this.graph.baseUrl), WATCH_POLL_INTERVAL_MS: '500' };
      case 'connector': {
        const { authUrl, scimUrl, adminUrl } = this.goto.endpoints;
        return {
          ...common,
          GOTO_AUTH_URL: authUrl,
          GOTO_SCIM_URL: scimUrl,
          GOTO_ADMIN_URL: adminUrl,
          GOTO_CLIENT_ID: DEMO_PRINCIPALS.client.clientId,
          GOTO_CLIENT_SECRET: DEMO_PRINCIPALS.client.clientSecret,
          GOTO_RATE_LIMIT_PER_SECOND: '2000',
          GOTO_TIMEOUT_MS: '5000',
          ...this.options.env,
        };
      }
      default:
        return common;
    }
  }
}
