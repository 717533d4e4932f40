/**
 * What the GoTo client costs its caller: CPU ms of this process per user created, with the GoTo
 * emulator in a process of its own so its work is not counted.
 *
 *   npm run build && node -r ./dist/tools/register-aliases.js dist/bench/goto-client-creates.js [creates=20000] [--concurrency=32]
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { GotoClient } from '@roster/goto-client';
import { DEMO_PRINCIPALS } from '@roster/goto-emulator';
import { freePort } from '@roster/testing';
import { cpuMsOf, ownCpuMs } from './support/process-usage';

const option = (name: string): string | undefined => process.argv.find((arg) => arg.startsWith(`--${name}=`))?.slice(name.length + 3);
const creates = Number(process.argv.slice(2).find((arg) => !arg.startsWith('--')) ?? 20_000);
const concurrency = Number(option('concurrency') ?? 32);
const load = () => loadavg().map((l) => l.toFixed(2)).join(' ');

async function main(): Promise<void> {
  const port = await freePort();
  const emulator = spawn(process.execPath, ['-r', join(__dirname, '../tools/register-aliases.js'), join(__dirname, '../emulators/goto/src/main.js')], {
    env: { PATH: process.env.PATH, GOTO_EMULATOR_PORT: String(port), GOTO_EMULATOR_RATE_LIMIT: 'unthrottled' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  try {
    await once(emulator.stdout!, 'data');
    const base = `http://127.0.0.1:${port}`;
    const client = new GotoClient({
      endpoints: { authUrl: base, scimUrl: `${base}/identity/v1`, adminUrl: `${base}/admin/rest/v1` },
      credentials: { kind: 'oauth-client', ...DEMO_PRINCIPALS.client },
    });
    // Warm up (token, connections, JIT) outside the measurement.
    for (let n = 0; n < 200; n++) await client.createUser({ userName: `warm${n}@example.com`, name: { givenName: 'W', familyName: 'U' } });
    const loadBefore = load();
    const ownBefore = ownCpuMs();
    const emulatorBefore = cpuMsOf(emulator.pid!)!;
    const started = Date.now();
    let next = 0;
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        for (let n = next++; n < creates; n = next++) {
          await client.createUser({ userName: `user${n}@example.com`, name: { givenName: `Given${n}`, familyName: `Sur${n}` }, externalId: `ext-${n}` });
        }
      }),
    );
    const seconds = (Date.now() - started) / 1000;
    const own = ownCpuMs() - ownBefore;
    const emulatorCpu = cpuMsOf(emulator.pid!)! - emulatorBefore;
    process.stdout.write(
      [
        `GoTo client, ${creates} creates at concurrency ${concurrency}; load average ${loadBefore} before, ${load()} after`,
        `  client CPU per create     ${(own / creates).toFixed(3)} ms`,
        `  emulator CPU per create   ${(emulatorCpu / creates).toFixed(3)} ms (its own process)`,
        `  creates/s                 ${(creates / seconds).toFixed(0)}`,
        '',
      ].join('\n'),
    );
  } finally {
    emulator.kill('SIGTERM');
    await once(emulator, 'exit');
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
