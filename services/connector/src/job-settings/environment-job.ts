import { provisioningJobSettingsSchema } from '@roster/contracts';
import type { RunnableJob } from '@roster/platform';
import type { ConnectorConfig } from '../config/connector.config';

/** Stands for the client id an environment without GOTO_CLIENT_ID does not give; no request is made with it. */
const NO_CLIENT_ID = 'none: GOTO_CLIENT_ID is not set';

/**
 * The job this connector's environment describes (PROVISIONING_JOB_ID, GOTO_*): what it runs while
 * no record of the job exists, as before jobs were records. Its directory source is the watcher's
 * business; the connector never reads it. An environment without GOTO_CLIENT_ID describes no GoTo
 * connection: the job is held as if paused until its record exists, so nothing is sent anywhere.
 */
export function environmentJob(c: ConnectorConfig): RunnableJob {
  return {
    id: c.PROVISIONING_JOB_ID,
    revision: 0,
    state: c.GOTO_CLIENT_ID === undefined ? 'paused' : 'steady',
    // Parsed, so the defaults of what the environment does not say (schedule, notification) are the contract's.
    settings: provisioningJobSettingsSchema.parse({
      source: { kind: 'demo', settings: {} },
      goto: {
        authUrl: c.GOTO_AUTH_URL,
        scimUrl: c.GOTO_SCIM_URL,
        adminUrl: c.GOTO_ADMIN_URL,
        clientId: c.GOTO_CLIENT_ID ?? NO_CLIENT_ID,
        ...(c.GOTO_CLIENT_SECRET === undefined ? {} : { clientSecret: c.GOTO_CLIENT_SECRET }),
        ...(c.GOTO_ADMIN_USERNAME === undefined ? {} : { adminUserName: c.GOTO_ADMIN_USERNAME }),
        ...(c.GOTO_ADMIN_PASSWORD === undefined ? {} : { adminPassword: c.GOTO_ADMIN_PASSWORD }),
        rateLimitPerSecond: c.GOTO_RATE_LIMIT_PER_SECOND,
      },
    }),
  };
}

/** False for the environment's job of an environment without GOTO_CLIENT_ID: no request may be made for it. */
export function hasGotoConnection(job: RunnableJob): boolean {
  return job.settings.goto.clientId !== NO_CLIENT_ID;
}
