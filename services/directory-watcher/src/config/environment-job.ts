import { provisioningJobSettingsSchema, type DirectorySourceSettings } from '@roster/contracts';
import type { RunnableJob } from '@roster/platform';
import type { WatcherConfig } from './watcher.config';

/** Stands for the GoTo client the watcher never reads; the connector's environment names the real one. */
const NOT_READ_HERE = 'none: the watcher does not read the GoTo connection';

/** The directory source DIRECTORY_SOURCE and ENTRA_* describe (the schema requires ENTRA_* with `entra`). */
export function environmentSource(c: WatcherConfig): DirectorySourceSettings {
  if (c.DIRECTORY_SOURCE !== 'entra') return { kind: 'demo', settings: {} };
  return {
    kind: 'entra',
    settings: {
      tenantId: c.ENTRA_TENANT_ID!,
      clientId: c.ENTRA_CLIENT_ID!,
      clientSecret: c.ENTRA_CLIENT_SECRET!,
      servicePrincipalId: c.ENTRA_SERVICE_PRINCIPAL_ID!,
      scope: c.ENTRA_SCOPE,
    },
  };
}

/**
 * The job this watcher's environment describes (PROVISIONING_JOB_ID, DIRECTORY_SOURCE, ENTRA_*):
 * what it runs while no record of that job exists, as before jobs were records. Once the admin API
 * has written the record (from the same variables at its start, or an admin's change), the record's
 * source is the one read.
 */
export function environmentJob(c: WatcherConfig): RunnableJob {
  return {
    id: c.PROVISIONING_JOB_ID,
    revision: 0,
    state: 'steady',
    settings: provisioningJobSettingsSchema.parse({ source: environmentSource(c), goto: { clientId: NOT_READ_HERE } }),
  };
}
