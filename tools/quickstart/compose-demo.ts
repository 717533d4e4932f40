/**
 * The `demo` service of docker-compose.override.yml (plain `docker compose up`): once Roster and the
 * GoTo emulator are up, makes an admin API key, assigns the quick start's demo user, waits until GoTo
 * has its account, and says where to look. Reads ADMIN_API_URL and GOTO_EMULATOR_URL, and the admin API's own environment for the key.
 */
import 'reflect-metadata';
import { createApiKey } from '../admin/create-key';
import { DEMO_USER_NAME, assignDemoUser } from './demo-user';

const WAIT_MS = 120_000;

async function main(): Promise<void> {
  const adminApi = process.env.ADMIN_API_URL ?? 'http://admin-api:3005';
  const emulator = process.env.GOTO_EMULATOR_URL ?? 'http://goto-emulator:4100';
  const key = await createApiKey(process.env, { name: `compose-demo-${Date.now()}`, role: 'admin' });
  await assignDemoUser(adminApi, key.key);
  const account = `${emulator}/_emulator/users?userName=${encodeURIComponent(DEMO_USER_NAME)}`;
  const deadline = Date.now() + WAIT_MS;
  for (;;) {
    const body = await fetch(account).then((r) => (r.ok ? r.text() : ''), () => '');
    if (body.includes(DEMO_USER_NAME)) break;
    if (Date.now() > deadline) throw new Error(`the demo user did not reach GoTo within ${WAIT_MS / 1000} s; see docker compose logs`);
    await new Promise((r) => setTimeout(r, 500));
  }
  process.stdout.write(`
Roster is running (docker compose, the demo).
  Demo user ${DEMO_USER_NAME} is provisioned in the GoTo emulator.
  Web console:    http://127.0.0.1:3005/console  (sign in with the admin key below)
  Admin API:      http://127.0.0.1:3005/jobs  with  -H 'authorization: Bearer ${key.key}'
                  (admin key shown only now; OpenAPI at /docs; demo directory at /demo-directory/users)
  GoTo accounts:  http://127.0.0.1:4100/_emulator/users?userName=${DEMO_USER_NAME}
  Health:         http://127.0.0.1:3005/health/ready
`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
