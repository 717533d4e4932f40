/**
 * The chaos suite at full size: every scenario of libs/testing's CHAOS_SCENARIOS (kill -9 of each
 * service in turn, PostgreSQL down 10 s, Redis killed with and without AOF, GoTo 5xx for 20 s then
 * 429 storms, answers lost after the write, two replicas of mapper and connector), each on a Redis and four
 * service processes of its own and a PostgreSQL database of its own (a cluster of its own when it
 * stops PostgreSQL), against the Graph and GoTo emulators. Prints per scenario the time from the end
 * of the faults to convergence (GoTo's accounts and group members equal to the oracle computed from
 * the directory, nothing queued, and an exact log — or only the checks named by --until), the
 * mismatches left per check, GoTo requests per user, and where the run's time went.
 *
 *   npm run build && node -r ./dist/tools/register-aliases.js dist/bench/chaos-suite.js \
 *     [--users=10000] [--within=1800] [--until=accounts,groups,log] [--only=<name>,<name>] [--concurrency=1] [--evidence=<dir>]
 *
 * --concurrency runs scenarios side by side: the suite ends sooner, but each run's times then
 * include the others' load. --only splits at a comma without a space after it, as CHAOS_ONLY does.
 * --evidence keeps, for each run that does not converge, what ChaosStack.keepEvidence saves.
 */
import { ALL_CHAOS_CHECKS, CHAOS_SCENARIOS, describeChaosResult, runChaosSuite, type ChaosCheck, type ChaosResult } from '@roster/testing';

function arg(name: string, fallback: string): string {
  const given = process.argv.find((a) => a.startsWith(`--${name}=`));
  return given ? given.slice(name.length + 3) : fallback;
}

function table(results: ChaosResult[]): string {
  const width = Math.max(...results.map((r) => r.scenario.length));
  const header = ['scenario'.padEnd(width), 'users'.padStart(6), 'converged'.padStart(10), ...ALL_CHAOS_CHECKS.map((c) => c.padStart(9)), 'req/user'.padStart(9)];
  const rows = results.map((r) => {
    const time = r.converged ? `${(r.timeToConvergeMs! / 1000).toFixed(1)} s` : 'never';
    return [r.scenario.padEnd(width), String(r.users).padStart(6), time.padStart(10), ...ALL_CHAOS_CHECKS.map((c) => String(r[c].total).padStart(9)), r.requestsPerUser.toFixed(2).padStart(9)];
  });
  return [header, ...rows].map((cells) => cells.join(' ')).join('\n');
}

async function main(): Promise<void> {
  const users = Number(arg('users', '10000'));
  const withinMs = Number(arg('within', '1800')) * 1000;
  const until = arg('until', ALL_CHAOS_CHECKS.join(',')).split(',') as ChaosCheck[];
  const only = arg('only', '').split(/,(?! )/).filter(Boolean);
  const concurrency = Number(arg('concurrency', '1'));
  const evidenceDir = arg('evidence', '') || undefined;
  const scenarios = CHAOS_SCENARIOS.filter((s) => only.length === 0 || only.includes(s.name));
  const started = Date.now();
  const suite = runChaosSuite(
    scenarios.map((scenario) => ({ scenario, options: { users, convergeWithinMs: withinMs, until, evidenceDir, log: (line: string) => console.log(line) } })),
    { concurrency },
  );
  const results: ChaosResult[] = [];
  for (const [name, result] of suite.results) {
    await result.then(
      (r) => {
        console.log(describeChaosResult(r));
        results.push(r);
      },
      (error: unknown) => console.error(`${name}: the run failed: ${String(error)}`),
    );
  }
  await suite.done;
  console.log(`\n${table(results)}\n\n${scenarios.length} scenarios in ${((Date.now() - started) / 1000).toFixed(0)} s, ${concurrency} at a time`);
  if (results.length < scenarios.length) process.exitCode = 1;
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
