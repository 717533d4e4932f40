import { join } from 'node:path';
import type { PostgresCluster } from '../process/postgres-cluster';
import { waitFor } from '../wait-for';
import { ChaosStack } from './chaos-stack';
import { snapshotOfGraph } from './directory-snapshot';
import { compareWithGoto, type ComparisonOptions, type GotoState } from './goto-comparison';
import { checkLog } from './log-check';
import { MismatchReport } from './mismatch-report';
import { oracleOf } from './oracle';
import type { ChaosScenario } from './scenarios';
import { ChaosWorkload } from './workload';

/** What convergence is judged on: GoTo's accounts, its group members, the provisioning log. */
export type ChaosCheck = 'accounts' | 'groups' | 'log';
export const ALL_CHAOS_CHECKS: readonly ChaosCheck[] = ['accounts', 'groups', 'log'];

export interface ChaosRunOptions {
  users: number;
  /** How long after the fault and the changes the state may take to equal the oracle. */
  convergeWithinMs: number;
  until?: ConvergenceOptions['until'];
  log?: (line: string) => void;
  /** A cluster to take a database of, unless the scenario stops PostgreSQL (see ChaosStackOptions). */
  postgres?: PostgresCluster;
  /** Where a run that does not converge leaves its evidence (ChaosStack.keepEvidence), in a folder of its own. */
  evidenceDir?: string;
}

/** Where a run's time went, in milliseconds. */
export interface ChaosPhases {
  /** Redis, PostgreSQL (a cluster or a database) and the emulators. */
  infrastructure: number;
  /** Every service instance answering /health/ready. */
  services: number;
  /** Until a quarter of the accounts exist in GoTo. */
  underWay: number;
  /** The faults and the directory changes. */
  fault: number;
  /** Until GoTo equals the oracle (or the bound). */
  converge: number;
}

export interface ChaosResult extends Record<ChaosCheck, MismatchReport> {
  scenario: string;
  users: number;
  converged: boolean;
  /** From the end of the fault and of the directory changes to the first check that found no mismatch. */
  timeToConvergeMs: number | null;
  /** GoTo API requests (all families) per directory user, the new ones included. */
  requestsPerUser: number;
  phases: ChaosPhases;
  /**
   * Per fault, GoTo's writes before it began and before it was over, as shares of the run's writes:
   * the fault hit during the sync when the second is below 1.
   */
  faults: FaultWindow[];
  /** What GoTo held at the end: accounts, active ones, group memberships; and the writes it applied. */
  totals: { accounts: number; active: number; memberships: number; writes: number };
  /** The services' last output, when the run did not converge. */
  output?: string;
}

export interface FaultWindow {
  fault: string;
  from: number;
  to: number;
}

export function gotoStateOf(stack: ChaosStack): GotoState {
  return { users: [...stack.goto.users.values()], groups: [...stack.goto.groups.values()] };
}

export interface ConvergenceOptions extends ComparisonOptions {
  withinMs: number;
  /**
   * The checks convergence waits for (default all): each must find no mismatch, with nothing
   * queued. Every check is reported at the end either way.
   */
  until?: readonly ChaosCheck[];
  /** Principals whose writes are not Roster's (an admin changing GoTo by hand). */
  ignorePrincipals?: readonly string[];
}

export interface Convergence extends Record<ChaosCheck, MismatchReport> {
  converged: boolean;
  /** From the call to the first check that found no mismatch. */
  timeMs: number | null;
}

async function logCheck(stack: ChaosStack, options: ConvergenceOptions): Promise<MismatchReport> {
  const writes = stack.goto.requestLog.entries({ family: 'scim' });
  return checkLog(writes, await stack.executedRecords(), stack.goto.users.values(), { ignorePrincipals: options.ignorePrincipals ?? [] });
}

/**
 * Waits (bounded, polling once a second) until the chosen checks find no mismatch with nothing
 * queued: GoTo's accounts and group members equal to the oracle computed from the directory, and
 * the log pairing every write with one `executed` record. Never throws for a run that does not
 * converge: the mismatches left are the answer.
 */
export async function waitForConvergence(stack: ChaosStack, options: ConvergenceOptions): Promise<Convergence> {
  const until = options.until ?? ALL_CHAOS_CHECKS;
  const started = Date.now();
  const compare = () => compareWithGoto(oracleOf(snapshotOfGraph(stack.graph)), gotoStateOf(stack), options);
  const converged = await waitFor(
    async () => {
      // Cheapest first: the oracle of 10,000 users takes the emulators' event loop for a while.
      if (!(await stack.queuesDrained())) return false;
      const state = compare();
      if (until.some((c) => c !== 'log' && state[c].total > 0)) return false;
      return !until.includes('log') || (await logCheck(stack, options)).total === 0;
    },
    { what: 'convergence', timeoutMs: options.withinMs, intervalMs: 1_000 },
  ).then(
    () => true,
    () => false,
  );
  const timeMs = converged ? Date.now() - started : null;
  const state = compare();
  const log = await logCheck(stack, options).catch((error: Error) => {
    const unreadable = new MismatchReport();
    unreadable.add('log unreadable', error.message);
    return unreadable;
  });
  return { converged, timeMs, accounts: state.accounts, groups: state.groups, log };
}

/**
 * One scenario on a stack of its own: seed the directory, start Roster, inject each fault in turn once
 * the sync is under way, each while GoTo is receiving writes and a share of the directory changes
 * lands, then wait (bounded) until GoTo equals the oracle, nothing is queued, and the log pairs every
 * write with one `executed` record.
 */
export async function runChaosScenario(scenario: ChaosScenario, options: ChaosRunOptions): Promise<ChaosResult> {
  const say = options.log ?? (() => undefined);
  const stack = new ChaosStack(scenario.stack, options.postgres);
  let mark = Date.now();
  const lap = () => -mark + (mark = Date.now());
  const writes = () => stack.goto.requestLog.entries({ family: 'scim' }).filter((e) => e.write).length;
  try {
    await stack.start();
    const workload = new ChaosWorkload(stack.graph, options.users);
    workload.seed();
    const infrastructure = lap();
    await stack.startServices();
    const services = lap();
    say(`${scenario.name}: services up, initial sync of ${options.users} users running`);
    // Under way: a quarter of the accounts exist. Bounded for a machine busy with other stacks.
    await waitFor(() => stack.goto.users.size >= options.users / 4, { what: 'the initial sync to be under way', timeoutMs: 600_000, intervalMs: 100 });
    const underWay = lap();
    const shares = workload.changesIn(Math.max(1, scenario.faults.length));
    const windows: FaultWindow[] = [];
    if (scenario.faults.length === 0) await shares[0]();
    for (const [i, { name, inject }] of scenario.faults.entries()) {
      const changes = shares[i]();
      // A fault after the first may find the pipeline idle: its share of the changes gives it work.
      const before = writes();
      await waitFor(() => writes() > before, { what: `GoTo to receive writes before '${name}'`, timeoutMs: 600_000, intervalMs: 100 });
      const from = writes();
      await Promise.all([inject(stack), changes]);
      windows.push({ fault: name, from, to: writes() });
    }
    const fault = lap();
    say(`${scenario.name}: faults over, directory changed; waiting for convergence`);
    const { converged, timeMs, ...checks } = await waitForConvergence(stack, { withinMs: options.convergeWithinMs, until: options.until });
    if (!converged && options.evidenceDir) {
      const dir = join(options.evidenceDir, `${scenario.name.replace(/\W+/g, '-')}-${Date.now()}`);
      stack.keepEvidence(dir);
      say(`${scenario.name}: evidence kept in ${dir}`);
    }
    const phases = { infrastructure, services, underWay, fault, converge: lap() };
    const requests = stack.goto.requestLog.entries().filter((e) => e.family !== 'unknown').length;
    const directoryUsers = options.users + Math.max(1, Math.floor(options.users / 10));
    const totalWrites = writes();
    return {
      scenario: scenario.name,
      users: options.users,
      converged,
      timeToConvergeMs: timeMs,
      ...checks,
      requestsPerUser: requests / directoryUsers,
      phases,
      faults: windows.map((w) => ({ fault: w.fault, from: w.from / totalWrites, to: w.to / totalWrites })),
      totals: {
        accounts: stack.goto.users.size,
        active: [...stack.goto.users.values()].filter((u) => u.active).length,
        memberships: [...stack.goto.groups.values()].reduce((n, g) => n + g.members.size, 0),
        writes: totalWrites,
      },
      ...(converged ? {} : { output: stack.recentOutput() }),
    };
  } finally {
    await stack.stop();
  }
}

/** One line per result: what the bench prints and a test's failure message names. */
export function describeChaosResult(r: ChaosResult): string {
  const time = r.converged ? `converged in ${(r.timeToConvergeMs! / 1000).toFixed(1)} s` : 'did NOT converge';
  const mismatches = ALL_CHAOS_CHECKS.map((c) => `${c} ${r[c].total}`).join(', ');
  const percent = (share: number) => `${Math.round(share * 100)} %`;
  const seconds = (ms: number) => (ms / 1000).toFixed(1);
  const { infrastructure, services, underWay, fault, converge } = r.phases;
  const faults =
    r.faults.length === 0
      ? 'no fault'
      : `share of the writes done when each fault began and ended: ${r.faults.map((w) => `${w.fault} ${percent(w.from)}–${percent(w.to)}`).join(', ')}`;
  return [
    `${r.scenario} (${r.users} users): ${time}; mismatches: ${mismatches}; ${r.requestsPerUser.toFixed(2)} requests/user` +
      ` (GoTo: ${r.totals.accounts} accounts, ${r.totals.active} active, ${r.totals.memberships} group members, ${r.totals.writes} writes);` +
      ` ${faults};` +
      ` seconds in infrastructure ${seconds(infrastructure)}, services ${seconds(services)}, sync under way ${seconds(underWay)}, fault ${seconds(fault)}, convergence ${seconds(converge)}`,
    ...ALL_CHAOS_CHECKS.filter((c) => r[c].total > 0).map((c) => `  ${c}:\n    ${r[c].toString().replace(/\n/g, '\n    ')}`),
  ].join('\n');
}
