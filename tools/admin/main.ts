/**
 * Bootstrap of the admin API's first credential, run where the admin API's environment is:
 *
 *   npm run admin -- create-key --name ops --role admin     # prints the key, once
 *
 * Later keys can be made through POST /api-keys with an admin key.
 */
import 'reflect-metadata';
import { parseArgs } from 'node:util';
import { createApiKeySchema } from '@roster/contracts';
import { ConfigError } from '@roster/platform';
import { createApiKey } from './create-key';

const USAGE = 'usage: npm run admin -- create-key --name <name> --role admin|reader';

async function main(): Promise<void> {
  const { positionals, values } = parseArgs({ options: { name: { type: 'string' }, role: { type: 'string' } }, allowPositionals: true });
  if (positionals[0] !== 'create-key') throw new Error(USAGE);
  const input = createApiKeySchema.safeParse(values);
  if (!input.success) throw new Error(`${input.error.issues.map((i) => `--${i.path.join('.')}: ${i.message}`).join('; ')}\n${USAGE}`);
  const created = await createApiKey(process.env, input.data);
  // The key alone on standard output, so `KEY=$(npm run -s admin -- create-key …)` captures just it.
  process.stderr.write(`API key ${created.id} (${created.name}, ${created.role}) created. It is shown only now:\n`);
  process.stdout.write(`${created.key}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = error instanceof ConfigError ? 78 : 2;
});
