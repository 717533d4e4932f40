/**
 * How fast the GoTo emulator answers lookups and deep pages at 100,000 users (server-side durations
 * from its request log), so it cannot be the bottleneck of the other benchmarks:
 *
 *   npm run build && node -r ./dist/tools/register-aliases.js dist/bench/goto-emulator-lookups.js [users=100000]
 *
 * That no lookup walks the store is checked, load-independently, by emulators/goto/src/goto-emulator.scale.spec.ts.
 */
import { TestEmulator, generateSeedUsers } from '@roster/goto-emulator';

const USERS = Number(process.argv[2] ?? '100000');
const ROUNDS = 20;
const pad = (n: number) => String(n).padStart(6, '0');

async function main(): Promise<void> {
  const goto = await TestEmulator.start();
  try {
    let started = Date.now();
    goto.emulator.seedUsers(generateSeedUsers(USERS));
    const seedMs = Date.now() - started;
    await goto.token();
    const last = goto.emulator.users.getByUserName(`user${pad(USERS)}@example.com`)!;
    const lookups: Record<string, string> = {
      'by id': `/identity/v1/Users/${last.id}`,
      'by userName': `/identity/v1/Users?filter=${encodeURIComponent(`userName eq "user${pad(USERS - 1)}@example.com"`)}`,
      'by externalId': `/identity/v1/Users?filter=${encodeURIComponent(`externalId eq "ext-${pad(USERS - 2)}"`)}`,
      'deep SCIM page': `/identity/v1/Users?startIndex=${USERS - 99}&count=100`,
      'deep Admin page': `/admin/rest/v1/accounts/8887380153236031176710/users?offset=${USERS - 100}&pageSize=100`,
    };
    const lines = [`GoTo emulator, ${USERS} users (seeded in ${seedMs} ms), ${ROUNDS} rounds; server-side ms`];
    for (const [name, path] of Object.entries(lookups)) {
      goto.emulator.requestLog.clear();
      started = Date.now();
      for (let round = 0; round < ROUNDS; round++) {
        const { status } = await goto.request('GET', path);
        if (status !== 200) throw new Error(`${name}: HTTP ${status}`);
      }
      const durations = goto.emulator.requestLog.entries().map((e) => e.durationMs).sort((a, b) => a - b);
      const at = (q: number) => durations[Math.min(durations.length - 1, Math.floor(q * durations.length))]!.toFixed(2);
      lines.push(`  ${name.padEnd(16)} median ${at(0.5)}  p95 ${at(0.95)}  (${((Date.now() - started) / ROUNDS).toFixed(1)} ms per round trip)`);
    }
    process.stdout.write(lines.join('\n') + '\n');
  } finally {
    await goto.stop();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
