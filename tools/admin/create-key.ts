import { NestFactory } from '@nestjs/core';
import type { CreateApiKey } from '@roster/contracts';
import { ApiKeysService } from '../../services/admin-api/src/api-keys/api-keys.service';
import { AdminApiAppModule } from '../../services/admin-api/src/app.module';

/**
 * Makes an API key with the admin API's own module (same database, schema and migrations, started
 * without its HTTP listener), so a key made here works there at once.
 */
export async function createApiKey(env: Record<string, string | undefined>, input: CreateApiKey) {
  const app = await NestFactory.createApplicationContext(AdminApiAppModule.forRoot({ ...env, LOG_LEVEL: env.LOG_LEVEL ?? 'silent' }), { logger: false });
  try {
    return await app.get(ApiKeysService).create(input);
  } finally {
    await app.close();
  }
}
