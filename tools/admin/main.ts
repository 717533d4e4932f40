/**
 * Bootstrap of the admin API's first credential, run where the admin API's environment is:
 *
 *   npm run admin -- create-key --name ops --role admin     # prints the key, once
 *
 * It uses the admin API's own module (same database, schema and migrations), so a key made here
 * works there at once. Later keys can be made through POST /api-keys with an admin key.
 */
import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { parseArgs } from 'node:util';
import { createApiKeySchema } from '@roster/contracts';
import { ConfigError } from '@roster/platform';
import { ApiKeysService } from '../../services/admin-api/src/api-keys/api-keys.service';
import { AdminApiAppModule } from '../../services/admin-api/src/app.module';

const USAGE = 'usage: npm run admin -- create-key --name <name> --role admin|reader';

async function main(): Promise<void> {
  const { positionals, values } = parseArgs({ options: { name: { type: 'string' }, role: { type: 'string' } }, allowPositionals: true });
  if (positionals[0] !== 'create-key') throw new Error(USAGE);
  const input = createApiKeySchema.safeParse(values);
  if (!input.success) throw new Error(`${input.error.issues.map((i) => `--${i.path.join('.')}: ${i.message}`).join('; ')}\n${USAGE}`);
  const app = await NestFactory.createApplicationContext(
    AdminApiAppModule.forRoot({ ...process.env, LOG_LEVEL: process.env.LOG_LEVEL ?? 'silent' }),
    { logger: false },
  );
  try {
    const created = await app.get(ApiKeysService).create(input.data);
    process.stderr.write(`API key ${created.id} (${created.name}, ${created.role}) created. It is shown only now:\n`);
    process.stdout.write(`${created.key}\n`);
  } finally {
    await app.close();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = error instanceof ConfigError ? 78 : 2;
});
