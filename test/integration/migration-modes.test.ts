import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { REPO_ROOT, ServiceProcess, TestEnvironment, ensureServicesBuilt } from '@roster/testing';

/** Runs a service's process to its end (as the Helm chart's migration Job does) and answers its exit code and output. */
function runToExit(service: string, env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['-r', join(REPO_ROOT, 'dist/tools/register-aliases.js'), join(REPO_ROOT, `dist/services/${service}/src/main.js`)], {
      cwd: REPO_ROOT,
      env: { PATH: process.env.PATH, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (c: Buffer) => (output += c.toString()));
    child.stderr.on('data', (c: Buffer) => (output += c.toString()));
    child.once('exit', (code) => resolve({ code, output }));
  });
}

describe('DATABASE_MIGRATIONS (the Helm chart runs migrations once per release)', () => {
  const env = new TestEnvironment();
  beforeAll(() => ensureServicesBuilt(['audit']), 180_000);
  afterAll(() => env.dispose());

  it('refuses to start with skip while migrations are pending, migrates and exits with only, then starts with skip', async () => {
    const refused = await runToExit('audit', env.env({ DATABASE_MIGRATIONS: 'skip' }));
    expect(refused.code).not.toBe(0);
    expect(refused.output).toMatch(/migrations are pending and DATABASE_MIGRATIONS=skip/);

    const migrated = await runToExit('audit', env.env({ DATABASE_MIGRATIONS: 'only' }));
    expect({ code: migrated.code, output: migrated.output }).toEqual({ code: 0, output: expect.stringContaining('migrations are up to date') });
    const tables = await env.query<{ table_name: string }>(`SELECT table_name FROM information_schema.tables WHERE table_schema = $1`, [env.schema]);
    expect(tables.map((t) => t.table_name)).toEqual(expect.arrayContaining(['provisioning_log', 'audit_migrations']));

    const started = await ServiceProcess.start('audit', env.env({ DATABASE_MIGRATIONS: 'skip' }), undefined, 60_000);
    try {
      expect((await fetch(`${started.url}/health/ready`)).status).toBe(200);
    } finally {
      await started.kill('SIGTERM');
    }
  }, 120_000);
});
