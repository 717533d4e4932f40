import type { Queue } from 'bullmq';
import type { ProvisioningCommand } from '@roster/contracts';
import { DEMO_PRINCIPALS, GotoEmulator, type GotoEmulatorOptions } from '@roster/goto-emulator';
import { ServiceProcess, ensureServicesBuilt } from '../process/service-process';
import { TestEnvironment } from '../test-environment';
import { commandQueue, commandsSettled, jobCommandQueue, pushCommands } from './command-queue';
import { connectorEnv } from './goto-fixtures';

/** A start on a machine busy with other suites can take a minute of CPU-starved module loading. */
const READY_TIMEOUT_MS = 180_000;

/**
 * The connector as a process of its own (so it may be killed) against a GoTo emulator, fed commands
 * straight into its queue, in a schema and queue prefix of its own: no watcher, no mapper. What a
 * crash test and a throughput bench both need.
 */
export class ConnectorProcessRig {
  readonly env = new TestEnvironment();
  readonly goto: GotoEmulator;
  /** The intake, where commands are pushed as the mapper does. */
  readonly queue: Queue;
  /** The test job's own command queue, which the connector's worker consumes. */
  readonly jobQueue: Queue;
  connector: ServiceProcess | undefined;

  /** `goto` over the demo OAuth client, unthrottled. */
  constructor(goto: GotoEmulatorOptions = {}) {
    this.goto = new GotoEmulator({ clients: [DEMO_PRINCIPALS.client], rateLimit: 'unthrottled', ...goto });
    this.queue = commandQueue(this.env.queuePrefix);
    this.jobQueue = jobCommandQueue(this.env.queuePrefix);
  }

  /** The emulator, after building dist/ if the connector's sources are newer. */
  async start(): Promise<this> {
    ensureServicesBuilt(['connector']);
    await this.goto.start();
    return this;
  }

  /** A connector process with connectorEnv's settings and `overrides`; again after a kill, a restart. */
  async startConnector(overrides: Record<string, string> = {}): Promise<ServiceProcess> {
    this.connector = await ServiceProcess.start('connector', connectorEnv(this.env, this.goto, overrides), undefined, READY_TIMEOUT_MS);
    return this.connector;
  }

  push(commands: ProvisioningCommand[]): Promise<void> {
    return pushCommands(this.queue, commands);
  }

  settled(): Promise<boolean> {
    return commandsSettled(this.queue, this.jobQueue);
  }

  /** `signal` for the connector: SIGTERM lets it finish what it holds. */
  async stop(signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    await this.connector?.kill(signal);
    await this.queue.close();
    await this.jobQueue.close();
    await this.goto.stop();
    await this.env.dispose();
  }
}
