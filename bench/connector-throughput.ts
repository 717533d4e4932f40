/**
 * Connector throughput against the GoTo emulator, the connector running as its own process:
 *
 *   npm run build && node -r ./dist/tools/register-aliases.js dist/bench/connector-throughput.js
 *
 * Each run is an initial sync into a GoTo account that already holds 30 % of the users (matched and
 * adopted, not created again). It prints commands/s, the emulator's peak requests/s, the share of
 * the allowed rate used when GoTo limits it, the 429s, and GoTo requests per provisioned user.
 * BENCH_SCALE (default 1) scales the command counts for a quick try.
 */
import { ConnectorProcessRig, aCommand, requestSummary, userNameOf } from '@roster/testing';

interface Scenario {
  name: string;
  commands: number;
  /** GoTo's limit (and the connector's configured one), requests/s per API family; none = unthrottled. */
  limit?: number;
}

const SCALE = Number(process.env.BENCH_SCALE ?? '1');
const SEEDED_SHARE = 0.3;
const SCENARIOS: Scenario[] = [
  { name: 'unthrottled', commands: 10_000 },
  { name: 'GoTo limited to 50 req/s', commands: 2_000, limit: 50 },
  { name: "GoTo's default 10 req/s", commands: 500, limit: 10 },
];

async function run(scenario: Scenario): Promise<void> {
  const count = Math.max(10, Math.round(scenario.commands * SCALE));
  const rig = await new ConnectorProcessRig({ rateLimit: scenario.limit ? { perSecond: scenario.limit, retryAfterSeconds: 1 } : 'unthrottled' }).start();
  const { env, goto } = rig;
  // Every third-or-so user already has an account: spread over the range, as in a real tenant.
  const seeded = Array.from({ length: count }, (_, n) => n).filter((n) => (n * SEEDED_SHARE) % 1 < SEEDED_SHARE - 1e-9);
  goto.seedUsers(seeded.map((n) => ({ userName: userNameOf(n, 'b'), name: { givenName: 'Old', familyName: 'Name' } })));
  await rig.startConnector({
    GOTO_RATE_LIMIT_PER_SECOND: String(scenario.limit ?? 100_000),
    CONNECTOR_CONCURRENCY: '32',
    LOG_LEVEL: 'warn',
  });
  try {
    const started = Date.now();
    await rig.push(Array.from({ length: count }, (_, n) => aCommand({ n, run: 'b' })));
    while (!(await rig.settled())) await new Promise((resolve) => setTimeout(resolve, 200));
    const seconds = (Date.now() - started) / 1000;

    const summary = requestSummary(goto, started);
    const scim = summary.entries.filter((e) => e.family === 'scim');
    const firstScim = scim[0]?.time ?? started;
    const lateLimited = summary.entries.filter((e) => e.status === 429 && e.time >= firstScim + 1000).length;
    const dead = (await env.query<{ n: number }>(`SELECT count(*)::int AS n FROM connector_dead_letter`))[0]!.n;
    const lines = [
      `${scenario.name}: ${count} commands (${seeded.length} users already in GoTo)`,
      `  commands/s                   ${(count / seconds).toFixed(1)}  (${seconds.toFixed(1)} s)`,
      `  emulator peak requests/s     ${summary.peakPerSecond} all APIs, ${summary.peakScimPerSecond} SCIM`,
      `  GoTo requests per user       ${(summary.total / count).toFixed(4)}  (${summary.total} requests)`,
      `  429s                         ${summary.rateLimited} (${lateLimited} after the first second)`,
      `  GoTo accounts / dead         ${goto.users.size} / ${dead}`,
    ];
    if (scenario.limit) {
      const limit = scenario.limit;
      const kept = (label: string, times: number[]) => {
        const rate = times.length > 1 ? (times.length - 1) / ((times.at(-1)! - times[0]!) / 1000) : 0;
        lines.push(`  ${label.padEnd(29)}${rate.toFixed(2)} req/s of ${limit} allowed = ${((100 * rate) / limit).toFixed(1)} %`);
      };
      const times = scim.map((e) => e.time);
      kept('SCIM rate, whole run', times);
      // Without the start (token, index read, first writes), where nothing is yet waiting for a slot.
      kept('SCIM rate, after 1st second', times.filter((t) => t >= firstScim + 1000));
    }
    process.stdout.write(lines.join('\n') + '\n\n');
    if (goto.users.size !== count || dead > 0) process.exitCode = 1;
  } finally {
    await rig.stop('SIGTERM');
  }
}

async function main(): Promise<void> {
  for (const scenario of SCENARIOS) await run(scenario);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
