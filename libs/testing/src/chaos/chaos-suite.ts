import { PostgresCluster } from '../process/postgres-cluster';
import { runChaosScenario, type ChaosResult, type ChaosRunOptions } from './run-scenario';
import type { ChaosScenario } from './scenarios';

export interface PlannedChaosRun {
  scenario: ChaosScenario;
  options: Omit<ChaosRunOptions, 'postgres'>;
}

export interface ChaosSuiteRun {
  /** Each scenario's result by name, settled when its run ends (rejected if the run failed to run). */
  results: Map<string, Promise<ChaosResult>>;
  /** Every run ended and the shared PostgreSQL cluster is gone. */
  done: Promise<void>;
}

/** Enough connections for `stacks` stacks at once, two replicas of mapper and connector included. */
const connectionsPerStack = 250;

/**
 * Runs scenarios `concurrency` at a time, in the order given, each on a stack of its own. Those that
 * leave PostgreSQL alone take a database each in one cluster started for the suite; the others start
 * their own. Most of a run waits (a service's start, a fault's duration), so runs side by side fill
 * the machine while each keeps its own bounds.
 */
export function runChaosSuite(planned: readonly PlannedChaosRun[], { concurrency = 1 } = {}): ChaosSuiteRun {
  const settle = new Map<string, { resolve: (r: ChaosResult) => void; reject: (e: unknown) => void }>();
  const results = new Map<string, Promise<ChaosResult>>();
  for (const { scenario } of planned) {
    const result = new Promise<ChaosResult>((resolve, reject) => settle.set(scenario.name, { resolve, reject }));
    // Awaited later (a test in its turn): a failed run must not count as an unhandled rejection meanwhile.
    result.catch(() => undefined);
    results.set(scenario.name, result);
  }
  const cluster = planned.some((p) => !p.scenario.stack.ownPostgres) ? PostgresCluster.start({ maxConnections: connectionsPerStack * concurrency }) : undefined;
  cluster?.catch(() => undefined);
  const queue = [...planned];
  const worker = async (): Promise<void> => {
    for (let next = queue.shift(); next; next = queue.shift()) {
      const { scenario, options } = next;
      const { resolve, reject } = settle.get(scenario.name)!;
      await Promise.resolve(cluster)
        .then((postgres) => runChaosScenario(scenario, { ...options, postgres }))
        .then(resolve, reject);
    }
  };
  const done = Promise.all(Array.from({ length: concurrency }, worker)).then(async () => {
    await cluster?.then((c) => c.stop()).catch(() => undefined);
  });
  return { results, done };
}
