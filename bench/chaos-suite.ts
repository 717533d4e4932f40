/**
 * The chaos suite at full size: every scenario of libs/testing's CHAOS_SCENARIOS (kill -9 of each
 * service, PostgreSQL down 10 s, Redis killed with and without AOF, GoTo 5xx for 20 s, 429 storms,
 * answers lost after the write, two replicas of mapper and connector), each on a Redis, a PostgreSQL
 * and four service processes of its own, against the Graph and GoTo emulators. Prints per scenario
 * the time from the end of the fault to convergence (GoTo's accounts and group members equal to the
 * oracle computed from the directory, nothing queued, and an exact log — or only the checks named
 * by --until), the mismatches left per check, and GoTo requests per user.
 *
 *   npm run build && node -r ./dist/tools/register-aliases.js dist/bench/chaos-suite.js \
 *     [--users=10000] [--within=600] [--until=accounts,groups,log] [--only=<name>,<name>]
 */
import { ALL_CHAOS_CHECKS, CHAOS_SCENARIOS, describeChaosResult, runChaosScenario, type ChaosCheck, type ChaosResult } from '@roster/testing';

function arg(name: string, fallback: string): string {
  const given = process.argv.find((a) => a.startsWith(`--${name}=`));
  return given ? given.slice(name.length + 3) : fallback;
}

async function main(): Promise<void> {
  const users = Number(arg('users', '10000'));
  const withinMs = Number(arg('within', '600')) * 1000;
  const until = arg('until', ALL_CHAOS_CHECKS.join(',')).split(',') as ChaosCheck[];
  const only = arg('only', '').split(',').filter(Boolean);
  const scenarios = CHAOS_SCENARIOS.filter((s) => only.length === 0 || only.includes(s.name));
  const results: ChaosResult[] = [];
  for (const scenario of scenarios) {
    const result = await runChaosScenario(scenario, { users, convergeWithinMs: withinMs, until, log: (line) => console.log(line) });
    console.log(describeChaosResult(result));
    results.push(result);
  }
  console.log(`\n${'scenario'.padEnd(40)} ${'converged'.padStart(10)} ${ALL_CHAOS_CHECKS.map((c) => c.padStart(9)).join(' ')} ${'req/user'.padStart(9)}`);
  for (const r of results) {
    const time = r.converged ? `${(r.timeToConvergeMs! / 1000).toFixed(1)} s` : 'never';
    const counts = ALL_CHAOS_CHECKS.map((c) => String(r[c].total).padStart(9)).join(' ');
    console.log(`${r.scenario.padEnd(40)} ${time.padStart(10)} ${counts} ${r.requestsPerUser.toFixed(2).padStart(9)}`);
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
