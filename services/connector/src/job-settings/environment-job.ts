import { provisioningJobSettingsSchema } from '@roster/contracts';
import type { RunnableJob } from '@roster/platform';
import type { ConnectorConfig } from '../config/connector.config';

/**
 * The job this connector's environment describes (PROVISIONING_JOB_ID, GOTO_*): what it runs while
 * no record of the job exists, as before jobs were records. Its directory source is the watcher's
 * business; the connector never reads it.
 */
export function environmentJob(c: ConnectorConfig): RunnableJob {
  return {
    id: c.PROVISIONING_JOB_ID,
    revision: 0,
    state: 'steady',
    // Parsed, so the defaults of what the environment does not say (schedule, notification) are the contract's.
    settings: provisioningJobSettingsSchema.parse({
      source: { kind: 'demo', settings: {} },
      goto: {
        authUrl: c.GOTO_AUTH_URL,
        scimUrl: c.GOTO_SCIM_URL,
        adminUrl: c.GOTO_ADMIN_URL,
        clientId: c.GOTO_CLIENT_ID,
        ...(c.GOTO_CLIENT_SECRET === undefined ? {} : { clientSecret: c.GOTO_CLIENT_SECRET }),
        ...(c.GOTO_ADMIN_USERNAME === undefined ? {} : { adminUserName: c.GOTO_ADMIN_USERNAME }),
        ...(c.GOTO_ADMIN_PASSWORD === undefined ? {} : { adminPassword: c.GOTO_ADMIN_PASSWORD }),
        rateLimitPerSecond: c.GOTO_RATE_LIMIT_PER_SECOND,
      },
    }),
  };
}
