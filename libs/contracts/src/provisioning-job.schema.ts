import { z } from 'zod';

/** A provisioning job's id: also its name in queues, locks and the provisioning log. */
export const provisioningJobIdSchema = z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'lower-case letters, digits and dashes, at most 63');

const httpUrl = z.string().max(2048).refine((v) => URL.canParse(v) && /^https?:$/.test(new URL(v).protocol), 'must be an http(s) URL');
const name = z.string().min(1).max(256);
/**
 * A credential as sent by an admin: a value sets it, null removes it, leaving it out keeps the
 * stored one. It is stored encrypted and never sent back (see PROVISIONING_JOB_SECRET_FIELDS).
 */
const writeOnlySecret = z.string().min(1).max(4096).nullable().optional();

/**
 * Who is in a job's scope and what is read of them, beyond the source's own settings. Each left out
 * takes the watcher's environment variable of the same meaning (INCLUDE_DEFAULT_ACCESS,
 * ENTRA_NESTED_GROUPS, ENTRA_SELECT), so an installation's choice holds until a job makes its own.
 */
const scopeOptions = {
  /** "Default Access" assignments put a user in scope too (Entra leaves them out). */
  includeDefaultAccess: z.boolean().optional(),
};
/** A Graph user property as `$select` takes it: `employeeType`, `extension_<appId>_costCenter`, … */
export const graphPropertyNameSchema = z.string().max(128).regex(/^[A-Za-z][A-Za-z0-9_]*$/, 'a Graph property name');

export const directorySourceSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('demo'), settings: z.strictObject(scopeOptions).default({}) }),
  z.strictObject({
    kind: z.literal('entra'),
    settings: z.strictObject({
      tenantId: name,
      clientId: name,
      clientSecret: writeOnlySecret,
      servicePrincipalId: name,
      scope: z.enum(['assigned', 'all-users']).default('assigned'),
      ...scopeOptions,
      /** Members of groups nested in an assigned group are in scope too; Entra only takes direct members. */
      nestedGroups: z.boolean().optional(),
      /** User properties read besides the ones the default mapping uses, for a job's own mapping. */
      select: z.array(graphPropertyNameSchema).max(100).optional(),
    }),
  }),
]);
export type DirectorySourceSettings = z.infer<typeof directorySourceSchema>;

/** GoTo endpoints default to the real hosts when left out; credentials are client credentials or a Team Admin's password. */
export const gotoConnectionSchema = z.strictObject({
  authUrl: httpUrl.optional(),
  scimUrl: httpUrl.optional(),
  adminUrl: httpUrl.optional(),
  clientId: name,
  clientSecret: writeOnlySecret,
  adminUserName: name.optional(),
  adminPassword: writeOnlySecret,
  rateLimitPerSecond: z.number().int().min(1).max(100_000).default(10),
});
export type GotoConnection = z.infer<typeof gotoConnectionSchema>;

export const provisioningScheduleSchema = z.strictObject({
  /** Time between full cycles; Entra's provisioning runs every 40 minutes. */
  intervalMinutes: z.number().int().min(1).max(7 * 24 * 60).default(40),
});

/**
 * The mail server a job's notification e-mail goes through. `tls`: `implicit` is TLS from the first
 * byte (port 465), `starttls` upgrades a plain connection and refuses to send if the server cannot,
 * `none` sends in the clear (a relay on the same host or network only).
 */
export const smtpSettingsSchema = z.strictObject({
  host: z.string().min(1).max(253).regex(/^[A-Za-z0-9.:[\]-]+$/, 'must be a host name or an IP address'),
  port: z.number().int().min(1).max(65535).default(587),
  tls: z.enum(['implicit', 'starttls', 'none']).default('starttls'),
  user: z.string().min(1).max(256).optional(),
  password: writeOnlySecret,
  from: z.email().max(320),
});

export const notificationSettingsSchema = z.strictObject({
  /** The "send an e-mail notification when a failure occurs" checkbox. */
  enabled: z.boolean().default(false),
  emails: z.array(z.email().max(320)).max(20).default([]),
  smtp: smtpSettingsSchema.optional(),
  /** At most one digest per this many minutes: events of the period are counted, never mailed one by one. */
  digestMinutes: z.number().int().min(1).max(24 * 60).default(15),
});
export type NotificationSettings = z.infer<typeof notificationSettingsSchema>;

/** What an admin writes to create or replace a job (the id travels in the path of a replace). */
export const provisioningJobSettingsSchema = z.strictObject({
  displayName: z.string().min(1).max(256).optional(),
  source: directorySourceSchema,
  goto: gotoConnectionSchema,
  schedule: provisioningScheduleSchema.default({ intervalMinutes: 40 }),
  notification: notificationSettingsSchema.default({ enabled: false, emails: [], digestMinutes: 15 }),
});
export type ProvisioningJobSettings = z.infer<typeof provisioningJobSettingsSchema>;

export const createProvisioningJobSchema = provisioningJobSettingsSchema.extend({ id: provisioningJobIdSchema });
export type CreateProvisioningJob = z.infer<typeof createProvisioningJobSchema>;

/** Where in a job's settings a credential lives; each is write-only. */
export const PROVISIONING_JOB_SECRET_FIELDS = ['source.settings.clientSecret', 'goto.clientSecret', 'goto.adminPassword', 'notification.smtp.password'] as const;
export type ProvisioningJobSecretField = (typeof PROVISIONING_JOB_SECRET_FIELDS)[number];

/** The job state machine of the admin's side; a new job waits, paused, until an admin turns it on. */
export const ProvisioningJobState = z.enum(['initial-sync', 'steady', 'paused', 'quarantined', 'needs-approval', 'failed']);
export type ProvisioningJobStateName = z.infer<typeof ProvisioningJobState>;

/**
 * Why the job is in its state and since when: the admin who paused it, the quarantine's reason and
 * next probe, the deletions waiting for approval, the cycle that failed.
 */
export const provisioningJobStateDetailSchema = z.object({
  since: z.string(),
  reason: z.string().nullable(),
  /** Quarantined: when the connector next tries GoTo. */
  nextProbeAt: z.string().optional(),
  /** Who changed it: an admin's key or token subject, or `roster` for what the pipeline reported. */
  by: z.string(),
});
export type ProvisioningJobStateDetail = z.infer<typeof provisioningJobStateDetailSchema>;

/** A job as the API answers it: its settings without any credential, and which credentials are set. */
export const provisioningJobViewSchema = z.strictObject({
  id: provisioningJobIdSchema,
  displayName: z.string().optional(),
  source: z.object({ kind: z.enum(['demo', 'entra']), settings: z.record(z.string(), z.unknown()) }),
  goto: gotoConnectionSchema.omit({ clientSecret: true, adminPassword: true }),
  schedule: provisioningScheduleSchema,
  notification: notificationSettingsSchema.extend({ smtp: smtpSettingsSchema.omit({ password: true }).optional() }),
  state: ProvisioningJobState,
  /** Absent for a job whose state nothing has changed since it was created. */
  stateDetail: provisioningJobStateDetailSchema.optional(),
  secretsSet: z.array(z.enum(PROVISIONING_JOB_SECRET_FIELDS)),
  revision: z.number().int(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type ProvisioningJobView = z.infer<typeof provisioningJobViewSchema>;
