import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
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
  /**
   * The scenario stops PostgreSQL: the stack runs a cluster of its own. Otherwise it takes a database
   * of the cluster it is given (several stacks share one: an initdb and a server start each saved).
   */
  ownPostgres?: boolean;
  /** Replicas of the mapper and the connector (the watcher leads alone; audit is idempotent). */
  replicas?: Partial<Record<'mapper' | 'connector', number>>;
  /** Extra variables for every service, e.g. RECONCILE_INTERVAL_MS. */
  env?: Record<string, string>;
}

const SERVICES: readonly ServiceName[] = ['audit', 'directory-watcher', 'mapper', 'connector'];
// The one job the chaos stack runs has its own command queue, fed from the intake.
const ALL_QUEUES = [...Object.values(QueueName), jobCommandQueueName(TEST_JOB_ID)];
const PREFIX = 'chaos';
const SCHEMA = 'roster';
/** A service start on a machine busy with other stacks can take a minute of CPU-starved module loading. */
const READY_TIMEOUT_MS = 300_000;
let databases = 0;

/**
 * Roster as an operator runs it, on infrastructure the test owns: its own redis-server and either its
 * own PostgreSQL cluster or a database of its own in a cluster the test started (so they may be
 * killed), the four services as separate processes from dist/, the Graph emulator as the directory
 * (Entra source) and the GoTo emulator as GoToMeeting. `stop` removes everything it started, temp
 * dirs and its database included, whatever state it is in.
 */
export class ChaosStack {
  readonly graph = new GraphEmulator({ deltaPageSize: 500 });
  readonly goto: GotoEmulator;
  redis!: RedisServer;
  private cluster: PostgresCluster | undefined;
  /** In the stack's own cluster, or in the shared one (then dropped at the end). */
  private database: { cluster: PostgresCluster; name: string } | undefined;
  private queues: Queue[] = [];
  private readonly running = new Map<string, ServiceProcess>();
  private readonly ports = new Map<string, number>();

  /** `shared`: the cluster to take a database of, unless the scenario stops PostgreSQL. */
  constructor(
    private readonly options: ChaosStackOptions,
    private readonly shared?: PostgresCluster,
  ) {
    this.goto = new GotoEmulator({
      clients: [DEMO_PRINCIPALS.client],
      // A Team Admin who may change GoTo by hand (drift tests), as another principal than Roster.
      adminUsers: [DEMO_PRINCIPALS.admin],
      rateLimit: 'unthrottled',
      verifiedDomains: [DEMO_TENANT.tenantDomain],
    });
  }

  /** The stack's own PostgreSQL cluster, which a scenario may stop (only with `ownPostgres`). */
  get postgres(): PostgresCluster {
    if (!this.cluster) throw new Error('this stack has a database in a shared PostgreSQL cluster: a scenario that stops PostgreSQL sets ownPostgres');
    return this.cluster;
  }

  /** Infrastructure and emulators, but no service yet: seed the directory, then `startServices`. */
  async start(): Promise<this> {
    ensureServicesBuilt(SERVICES);
    const redis = RedisServer.start({ aof: this.options.aof }).then((server) => (this.redis = server));
    await Promise.all([this.graph.start(), this.goto.start(), redis, this.startDatabase()]);
    return this;
  }

  /**
   * Every replica of every service at once. The schema is made first: each service creates it if
   * missing, and PostgreSQL's CREATE SCHEMA IF NOT EXISTS fails in all but one of several sessions
   * running it at the same moment.
   */
  async startServices(): Promise<void> {
    await this.database!.cluster.execute(`CREATE SCHEMA IF NOT EXISTS ${SCHEMA}`, this.database!.name);
    const started = await Promise.allSettled(this.replicaKeys().map(([name, i]) => this.startReplica(name, i)));
    // Every start has settled, so `stop` finds each instance that came up.
    const failed = started.find((result) => result.status === 'rejected');
    if (failed) throw failed.reason;
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

  /** True when no queue has a job waiting, delayed, prioritized or active (false while Redis is down). */
  async queuesDrained(): Promise<boolean> {
    // Opened once and kept: a convergence wait asks every second, and they reconnect after a Redis restart.
    if (this.queues.length === 0) {
      const connection = { ...redisOptionsFromUrl(this.redis.url), maxRetriesPerRequest: 1 };
      this.queues = ALL_QUEUES.map((name) => new Queue(name, { connection, prefix: PREFIX }));
      for (const queue of this.queues) queue.on('error', () => undefined);
    }
    try {
      const counts = await Promise.all(this.queues.map((q) => q.getJobCounts('waiting', 'active', 'delayed', 'prioritized', 'waiting-children')));
      return counts.every((c) => Object.values(c).every((n) => n === 0));
    } catch {
      return false;
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

  /**
   * What a run that did not converge leaves to look into, in `dir`: the database as a SQL dump, every
   * SCIM request GoTo saw (what each write changed included), GoTo's groups and the services' output.
   */
  keepEvidence(dir: string): void {
    mkdirSync(dir, { recursive: true });
    if (this.database) this.database.cluster.dumpDatabase(this.database.name, join(dir, 'database.sql'));
    writeFileSync(join(dir, 'goto-requests.json'), JSON.stringify(this.goto.requestLog.entries({ family: 'scim' })));
    const groups = [...this.goto.groups.values()].map((g) => ({ id: g.id, displayName: g.displayName, members: [...g.members] }));
    writeFileSync(join(dir, 'goto-groups.json'), JSON.stringify(groups));
    writeFileSync(join(dir, 'services.log'), this.recentOutput());
  }

  /** The last output of every instance, for a failure message. */
  recentOutput(): string {
    return [...this.running].map(([key, p]) => `--- ${key}\n${p.recentOutput}`).join('\n');
  }

  async stop(): Promise<void> {
    const steps: (() => Promise<unknown>)[] = [
      () => Promise.all([...this.running.values()].map((p) => p.kill('SIGKILL'))),
      () => Promise.all(this.queues.map((q) => q.close())),
      () => this.goto.stop(),
      () => this.graph.stop(),
      () => this.redis?.stop() ?? Promise.resolve(),
      () => this.cluster?.stop() ?? Promise.resolve(),
      () => (this.database && this.database.cluster !== this.cluster ? this.database.cluster.dropDatabase(this.database.name) : Promise.resolve()),
    ];
    for (const step of steps) await step().catch(() => undefined);
    this.running.clear();
  }

  private async startDatabase(): Promise<void> {
    if (this.shared && !this.options.ownPostgres) {
      const name = `chaos_${process.pid}_${++databases}`;
      await this.shared.createDatabase(name);
      this.database = { cluster: this.shared, name };
    } else {
      this.cluster = await PostgresCluster.start();
      this.database = { cluster: this.cluster, name: 'postgres' };
    }
  }

  private async startReplica(name: ServiceName, replica: number): Promise<void> {
    const key = `${name}#${replica}`;
    const service = await ServiceProcess.start(name, this.envOf(name), this.ports.get(key), READY_TIMEOUT_MS);
    this.ports.set(key, service.port);
    this.running.set(key, service);
  }

  private envOf(name: ServiceName): Record<string, string> {
    const common: Record<string, string> = {
      DATABASE_URL: this.database!.cluster.databaseUrl(this.database!.name),
      REDIS_URL: this.redis.url,
      DATABASE_SCHEMA: SCHEMA,
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
        // The default interval (2 s): polls cost the watcher, PostgreSQL and the emulator CPU the
        // other stacks need; at 500 ms an idle stack used 5.3 s of CPU a minute, at 2 s 2.9 s.
        return { ...common, ...demoTenantWatcherEnv(this.graph.baseUrl) };
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
