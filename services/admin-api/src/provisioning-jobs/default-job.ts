import { createProvisioningJobSchema, type CreateProvisioningJob } from '@roster/contracts';
import type { AdminApiConfig } from '../config/admin-api.config';

/**
 * The default job as the environment describes it, or undefined when the environment names no GoTo
 * client (then jobs are made through the API only). Checked against the same contract as the API's
 * input, so a bad variable stops the start with the field it feeds.
 */
export function defaultJobFromEnv(c: AdminApiConfig): CreateProvisioningJob | undefined {
  if (c.GOTO_CLIENT_ID === undefined) return undefined;
  const source =
    c.DIRECTORY_SOURCE === 'entra'
      ? {
          kind: 'entra',
          settings: {
            tenantId: c.ENTRA_TENANT_ID,
            clientId: c.ENTRA_CLIENT_ID,
            clientSecret: c.ENTRA_CLIENT_SECRET,
            servicePrincipalId: c.ENTRA_SERVICE_PRINCIPAL_ID,
            scope: c.ENTRA_SCOPE,
          },
        }
      : { kind: 'demo', settings: {} };
  const smtp =
    c.SMTP_HOST === undefined
      ? undefined
      : { host: c.SMTP_HOST, port: c.SMTP_PORT, tls: c.SMTP_TLS, user: c.SMTP_USER, password: c.SMTP_PASSWORD, from: c.SMTP_FROM };
  return createProvisioningJobSchema.parse({
    id: c.PROVISIONING_JOB_ID,
    source,
    goto: {
      authUrl: c.GOTO_AUTH_URL,
      scimUrl: c.GOTO_SCIM_URL,
      adminUrl: c.GOTO_ADMIN_URL,
      clientId: c.GOTO_CLIENT_ID,
      clientSecret: c.GOTO_CLIENT_SECRET,
      adminUserName: c.GOTO_ADMIN_USERNAME,
      adminPassword: c.GOTO_ADMIN_PASSWORD,
      rateLimitPerSecond: c.GOTO_RATE_LIMIT_PER_SECOND,
    },
    ...(c.NOTIFICATION_EMAILS || smtp ? { notification: { enabled: (c.NOTIFICATION_EMAILS?.length ?? 0) > 0, emails: c.NOTIFICATION_EMAILS ?? [], smtp } } : {}),
  });
}
