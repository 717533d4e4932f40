/**
 * The chaos suite at full size: every scenario of libs/testing's CHAOS_SCENARIOS (kill -9 of each
 * service, PostgreSQL down 10 s, Redis killed with and without AOF, GoTo 5xx for 20 s, 429 storms,
 * answers lost after the write, two replicas of mapper and connector), each on a Redis, a PostgreSQL
 * and four service processes of its own, against the Graph and GoTo emulators. Prints per scenario
 * the time from the end of the fault to convergence (GoTo equal to the oracle computed from the
 * directory, nothing queued, and — unless --until=state — an exact log), the mismatches left, and
 * GoTo requests per user.
 *
 *   npm run build && node -r ./dist/tools/register-aliases.js dist/bench/chaos-suite.js \
 *     [--users=10000] [--within=600] [--until=state|state-and-log] [--only=<name>,<name>]
 */
import { CHAOS_SCENARIOS, describeChaosResult, runChaosScenario, type ChaosResult } from '@roster/testing';

function arg(name: string, fallback: string): string {
  const given = process.argv.find((a) => a.startsWith(`--${name}=`));
  return given ? given.slice(name.length + 3) : fallback;
}

async function main(): Promise<void> {
  const users = Number(arg('users', '10000'));
  const withinMs = Number(arg('within', '600')) * 1000;
  const until = arg('until', 'state-and-log') as 'state' | 'state-and-log';
  const only = arg('only', '').split(',').filter(Boolean);
  const scenarios = CHAOS_SCENARIOS.filter((s) => only.length === 0 || only.includes(s.name));
  const results: ChaosResult[] = [];
  for (const scenario of scenarios) {
    const result = await runChaosScenario(scenario, { users, convergeWithinMs: withinMs, until, log: (line) => console.log(line) });
    console.log(describeChaosResult(result));
    results.push(result);
  }
  console.log(`\n${'scenario'.padEnd(40)} ${'converged'.padStart(12)} ${'state'.padStart(7)} ${'log'.padStart(7)} ${'req/user'.padStart(9)}`);
  for (const r of results) {
    const time = r.converged ? `${(r.timeToConvergeMs! / 1000).toFixed(1)} s` : 'never';
    console.log(`${r.scenario.padEnd(40)} ${time.padStart(12)} ${String(r.state.total).padStart(7)} ${String(r.log.total).padStart(7)} ${r.requestsPerUser.toFixed(2).padStart(9)}`);
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
