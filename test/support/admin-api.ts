import type { Clock } from '@roster/platform';
import { captureLogs, startService, type RunningService } from '@roster/testing';
import { ApiKeysService } from '../../services/admin-api/src/api-keys/api-keys.service';
import { ADMIN_API_APP_OPTIONS, AdminApiAppModule } from '../../services/admin-api/src/app.module';

export interface RunningAdminApi extends RunningService {
  adminKey: string;
  readerKey: string;
}

/**
 * The admin API in this process with `env`, holding an admin key and a reader key made for the test;
 * `clock` steps its limiters and digests, `logs` receives its JSON log lines.
 */
export async function startAdminApi(env: Record<string, string>, options: { clock?: Clock; logs?: string[] } = {}): Promise<RunningAdminApi> {
  const module = AdminApiAppModule.forRoot(env, { clock: options.clock });
  const api = await startService(options.logs ? captureLogs(module, options.logs) : module, ADMIN_API_APP_OPTIONS);
  const keys = api.app.get(ApiKeysService);
  const adminKey = (await keys.create({ name: 'test admin', role: 'admin' })).key;
  const readerKey = (await keys.create({ name: 'test reader', role: 'reader' })).key;
  return { ...api, adminKey, readerKey };
}
