/**
 * Where a service's CPU went, from the `.cpuprofile` files node writes with `--cpu-prof` (the e2e
 * bench passes SERVICE_NODE_ARGS to every service):
 *
 *   SERVICE_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof" node … dist/bench/e2e-initial-sync.js 3000
 *   node -r ./dist/tools/register-aliases.js dist/bench/cpu-profile-summary.js /tmp/prof [--top=25]
 *
 * For each profile: the share of busy samples (idle excluded) spent in each package (a node_modules
 * package, node's internals, garbage collection, or a Roster lib or service), the functions with the
 * most self time, and the Roster functions with the most total time (self and what they call).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { summarizeProfile, type CpuProfile, type ProfileSummary } from './support/cpu-profile';

const dir = process.argv.slice(2).find((arg) => !arg.startsWith('--'));
const top = Number(process.argv.find((arg) => arg.startsWith('--top='))?.slice(6) ?? 20);

function report(file: string, summary: ProfileSummary): string {
  const pct = (ms: number) => `${((100 * ms) / summary.busyMs).toFixed(1).padStart(5)} %`;
  return [
    `${summary.service ?? file}: ${(summary.busyMs / 1000).toFixed(1)} s busy of ${(summary.totalMs / 1000).toFixed(1)} s sampled`,
    '  by package (self time)',
    ...summary.byPackage.slice(0, top).map(([name, ms]) => `    ${pct(ms)}  ${name}`),
    '  functions (self time)',
    ...summary.bySelf.slice(0, top).map(([name, ms]) => `    ${pct(ms)}  ${name}`),
    '  Roster functions (total time)',
    ...summary.rosterTotal.slice(0, top).map(([name, ms]) => `    ${pct(ms)}  ${name}`),
  ].join('\n');
}

if (!dir) {
  process.stderr.write('usage: cpu-profile-summary.js <directory of .cpuprofile files> [--top=N]\n');
  process.exit(2);
}
for (const file of readdirSync(dir).filter((f) => f.endsWith('.cpuprofile')).sort()) {
  const profile = JSON.parse(readFileSync(join(dir, file), 'utf8')) as CpuProfile;
  process.stdout.write(`${report(file, summarizeProfile(profile))}\n\n`);
}
