/**
 * Drives the connector on its own, without the watcher and the mapper: commands go straight onto the
 * provisioning-commands queue and the GoTo emulator is the target; the connector runs in this
 * process or as a separate one built in dist/. Shared by bench/connector-throughput.ts and the
 * test/integration/connector-* suites.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { Queue } from 'bullmq';
import { ProvisioningCommandType, QueueName, type ProvisioningCommand, type ProvisioningCommandOf } from '@roster/contracts';
import { DEMO_PRINCIPALS, GotoEmulator, type GotoEmulatorOptions } from '@roster/goto-emulator';
import { jobOptions, redisOptionsFromUrl } from '@roster/platform';
import { TEST_REDIS_URL, TestEnvironment, startService, waitFor, type RunningService, freePort } from '@roster/testing';
import { AuditAppModule } from '../services/audit/src/app.module';
import { ConnectorAppModule } from '../services/connector/src/app.module';

export const COMMANDS = QueueName.ProvisioningCommands;
const JOB_ID = 'gotomeeting';
const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';

/** The repository root, from the sources (ts-jest) or from dist/. */
const REPO_ROOT = (() => {
  let dir = __dirname;
  while (!existsSync(join(dir, 'package.json'))) dir = dirname(dir);
  return dir;
})();

export const userNameOf = (n: number, run = 'u') => `${run}${n}@example.com`;

/** SCIM attributes as the default mapping produces them for user `n`. */
function attributesOf(n: number, run = 'u', extra: Record<string, string | boolean | null> = {}) {
  return {
    userName: userNameOf(n, run),
    externalId: `dir-${run}${n}`,
    active: true,
    'name.givenName': 'Ada',
    'name.familyName': `${run}${n}`,
    displayName: `Ada ${run}${n}`,
    'emails[type eq "work"].value': userNameOf(n, run),
    [`${ENTERPRISE}:department`]: 'R&D',
    ...extra,
  };
}

type UserCommandType = Exclude<ProvisioningCommand['type'], 'group.add-member' | 'group.remove-member'>;

export interface CommandSpec<K extends UserCommandType> {
  n: number;
  /** A prefix that keeps users (and idempotency keys) of different runs apart. */
  run?: string;
  order?: number;
  type?: K;
  /** For user.update: attributes to change (merged into the desired state) and name as `changed`. */
  change?: Record<string, string | null>;
}

/** A command for directory user `n`, as the mapper would send it (default: create). */
export function commandFor<K extends UserCommandType = typeof ProvisioningCommandType.CreateUser>(spec: CommandSpec<K>): ProvisioningCommandOf<K> {
  return buildCommand(spec) as ProvisioningCommandOf<K>;
}

function buildCommand({ n, run = 'u', order = 1, type = ProvisioningCommandType.CreateUser, change = {} }: CommandSpec<UserCommandType>): ProvisioningCommand {
  const base = {
    version: 1 as const,
    idempotencyKey: `${run}:${n}:${type}:${order}`,
    correlationId: `corr-${run}-${n}`,
    provisioningJobId: JOB_ID,
    occurredAt: new Date().toISOString(),
    userId: `dir-${run}${n}`,
    order: String(order),
    matching: [{ targetAttribute: 'userName', value: userNameOf(n, run), precedence: 1 }],
  };
  const attributes = attributesOf(n, run, change);
  switch (type) {
    case ProvisioningCommandType.CreateUser:
    case ProvisioningCommandType.EnableUser:
      return { ...base, type, attributes };
    case ProvisioningCommandType.UpdateUser:
      return { ...base, type, attributes, changed: Object.keys(change) };
    case ProvisioningCommandType.DisableUser:
    case ProvisioningCommandType.DeleteUser:
      return { ...base, type };
  }
}

export function commandQueue(prefix: string): Queue {
  return new Queue(COMMANDS, { connection: redisOptionsFromUrl(TEST_REDIS_URL), prefix });
}

/** Puts commands on the queue exactly as the mapper's producer does (same job ids and options). */
export async function pushCommands(queue: Queue, commands: ProvisioningCommand[]): Promise<void> {
  for (let i = 0; i < commands.length; i += 1000) {
    await queue.addBulk(
      commands.slice(i, i + 1000).map((c) => ({ name: c.type, data: c, opts: jobOptions(COMMANDS, c.idempotencyKey) })),
    );
  }
}

/** Resolves when no command is waiting, delayed or being executed. */
export async function commandsSettled(queue: Queue): Promise<boolean> {
  const counts = await queue.getJobCounts('waiting', 'active', 'delayed', 'prioritized');
  return Object.values(counts).every((n) => n === 0);
}

/** Connector environment against the emulator with the demo OAuth client; `overrides` win. */
export function connectorEnv(env: TestEnvironment, goto: GotoEmulator, overrides: Record<string, string> = {}): Record<string, string> {
  const { authUrl, scimUrl, adminUrl } = goto.endpoints;
  return env.env({
    GOTO_AUTH_URL: authUrl,
    GOTO_SCIM_URL: scimUrl,
    GOTO_ADMIN_URL: adminUrl,
    GOTO_CLIENT_ID: DEMO_PRINCIPALS.client.clientId,
    GOTO_CLIENT_SECRET: DEMO_PRINCIPALS.client.clientSecret,
    RETRY_BASE_DELAY_MS: '50',
    RETRY_MAX_DELAY_MS: '200',
    ...overrides,
  });
}

/** Counts of the emulator's request log by family, method and path, status included. */
export function requestSummary(goto: GotoEmulator, since = 0) {
  const entries = goto.requestLog.entries({ since }).filter((e) => e.family !== 'unknown');
  return {
    total: entries.length,
    peakPerSecond: goto.requestLog.peakRequestsPerSecond({ since }),
    peakScimPerSecond: goto.requestLog.peakRequestsPerSecond({ since, family: 'scim' }),
    rateLimited: entries.filter((e) => e.status === 429).length,
    entries,
  };
}

const DIST_SOURCES = ['services/connector/src', 'libs/contracts/src', 'libs/platform/src', 'libs/goto-client/src', 'tools/register-aliases.ts'];

function sourcesUnder(path: string): string[] {
  const full = join(REPO_ROOT, path);
  if (statSync(full).isFile()) return [full];
  return readdirSync(full, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory()
      ? sourcesUnder(join(path, entry.name))
      : entry.name.endsWith('.ts') && !entry.name.endsWith('.spec.ts')
        ? [join(full, entry.name)]
        : [],
  );
}

/** Sources of the connector whose compiled file in dist/ is missing or older. */
function staleConnectorSources(): string[] {
  return DIST_SOURCES.flatMap(sourcesUnder).filter((source) => {
    const built = join(REPO_ROOT, 'dist', relative(REPO_ROOT, source).replace(/\.ts$/, '.js'));
    return !existsSync(built) || statSync(built).mtimeMs < statSync(source).mtimeMs;
  });
}

/**
 * Builds dist/ when the connector's compiled files are older than its sources. A build that reports
 * type errors elsewhere in the repository still counts if it brought the connector up to date.
 */
export function ensureConnectorBuilt(): void {
  if (staleConnectorSources().length === 0) return;
  let output = '';
  try {
    execFileSync('npm', ['run', 'build'], { cwd: REPO_ROOT, stdio: 'pipe', encoding: 'utf8' });
  } catch (error) {
    output = String((error as { stdout?: string }).stdout ?? error);
  }
  const stale = staleConnectorSources();
  if (stale.length > 0) throw new Error(`npm run build left ${stale.length} connector file(s) stale, e.g. ${stale[0]}:\n${output}`);
}

/** The connector as its own process (`node -r dist/tools/register-aliases.js dist/services/connector/src/main.js`). */
export class ConnectorProcess {
  private readonly output: string[] = [];
  private readonly exited: Promise<number | null>;

  private constructor(
    private readonly child: ChildProcess,
    readonly url: string,
  ) {
    const keep = (chunk: Buffer) => {
      this.output.push(chunk.toString());
      if (this.output.length > 200) this.output.shift();
    };
    child.stdout!.on('data', keep);
    child.stderr!.on('data', keep);
    this.exited = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
  }

  static async start(env: Record<string, string>): Promise<ConnectorProcess> {
    const port = await freePort();
    const child = spawn(
      process.execPath,
      ['-r', join(REPO_ROOT, 'dist/tools/register-aliases.js'), join(REPO_ROOT, 'dist/services/connector/src/main.js')],
      { cwd: REPO_ROOT, env: { PATH: process.env.PATH, ...env, HTTP_PORT: String(port) }, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    const connector = new ConnectorProcess(child, `http://127.0.0.1:${port}`);
    // Never leave a connector behind when this process ends first (a failed test, an interrupted run).
    const orphanGuard = () => child.kill('SIGKILL');
    process.once('exit', orphanGuard);
    void connector.exited.then(() => process.off('exit', orphanGuard));
    await connector.ready();
    return connector;
  }

  /** The last lines the process wrote, for a failure message. */
  get recentOutput(): string {
    return this.output.join('').slice(-4000);
  }

  /** Sends the signal and resolves when the process is gone. */
  async kill(signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill(signal);
    await this.exited;
  }

  private async ready(): Promise<void> {
    const deadline = Date.now() + 30_000;
    let exitCode: number | null | undefined;
    void this.exited.then((code) => (exitCode = code));
    while (Date.now() < deadline) {
      if (exitCode !== undefined) throw new Error(`connector exited with ${exitCode} before it was ready:\n${this.recentOutput}`);
      const ok = await fetch(`${this.url}/health/ready`).then(
        (res) => res.ok,
        () => false,
      );
      if (ok) return;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    await this.kill();
    throw new Error(`connector not ready within 30 s:\n${this.recentOutput}`);
  }
}

export interface ConnectorStackOptions {
  goto?: GotoEmulatorOptions;
  /** Connector environment overrides. */
  env?: Record<string, string>;
  /** Also run the audit service, so the provisioning log can be read from PostgreSQL. */
  audit?: boolean;
}

/**
 * The connector in this process against an emulator, each suite in its own schema and queue
 * prefix: what most connector suites need.
 */
export class ConnectorStack {
  readonly env = new TestEnvironment();
  readonly goto: GotoEmulator;
  readonly queue: Queue;
  connector!: RunningService;
  audit: RunningService | undefined;

  constructor(private readonly options: ConnectorStackOptions = {}) {
    this.goto = new GotoEmulator({ clients: [DEMO_PRINCIPALS.client], adminUsers: [DEMO_PRINCIPALS.admin, DEMO_PRINCIPALS.member], rateLimit: 'unthrottled', ...options.goto });
    this.queue = commandQueue(this.env.queuePrefix);
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
    return startService(ConnectorAppModule.forRoot(connectorEnv(this.env, this.goto, { ...this.options.env, ...overrides })));
  }

  async stop(...extra: RunningService[]): Promise<void> {
    for (const service of [...extra, this.connector, this.audit]) await service?.app.close();
    await this.queue.close();
    await this.goto.stop();
    await this.env.dispose();
  }

  push(commands: ProvisioningCommand[]): Promise<void> {
    return pushCommands(this.queue, commands);
  }

  settled(what = 'every command to settle', timeoutMs = 30_000): Promise<true> {
    return waitFor(() => commandsSettled(this.queue), { what, timeoutMs, intervalMs: 100 });
  }

  /** Provisioning-log rows the audit service stored, oldest first. */
  logs(where = 'true', params: unknown[] = []) {
    return this.env.query<{ step: string; status: string; action: string; reason: string | null; message_id: string | null; attempt: number | null; details: Record<string, unknown> | null; error: { kind: string; status?: number; body?: unknown } | null }>(
      `SELECT step, status, action, reason, message_id, attempt, details, error FROM provisioning_log WHERE service = 'connector' AND ${where} ORDER BY occurred_at, id`,
      params,
    );
  }

  deadLetters() {
    return this.env.query<{ id: string; idempotency_key: string; reason: string; error: { kind: string; status?: number; body?: unknown }; status: string; attempts: number }>(
      `SELECT id::text, idempotency_key, reason, error, status, attempts FROM connector_dead_letter ORDER BY id`,
    );
  }
}
