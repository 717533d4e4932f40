import type { CreateProvisioningJob, ProvisioningJobSettings, ProvisioningJobView } from '../api/types';

/** The set-up form's fields, all as typed (text), so an edit never loses what the admin wrote. */
export interface JobForm {
  id: string;
  displayName: string;
  sourceKind: 'demo' | 'entra';
  tenantId: string;
  entraClientId: string;
  entraClientSecret: string;
  servicePrincipalId: string;
  entraScope: 'assigned' | 'all-users';
  /** Scope options: '' leaves the option out, so the watcher's environment decides. */
  includeDefaultAccess: Choice;
  nestedGroups: Choice;
  entraSelect: string;
  gotoClientId: string;
  gotoClientSecret: string;
  adminUserName: string;
  adminPassword: string;
  rateLimitPerSecond: string;
  authUrl: string;
  scimUrl: string;
  adminUrl: string;
  intervalMinutes: string;
  notifyEnabled: boolean;
  emails: string;
  digestMinutes: string;
  smtpHost: string;
  smtpPort: string;
  smtpTls: 'starttls' | 'implicit' | 'none';
  smtpUser: string;
  smtpPassword: string;
  smtpFrom: string;
}

type Choice = '' | 'true' | 'false';

export const emptyJobForm: JobForm = {
  id: '',
  displayName: '',
  sourceKind: 'demo',
  tenantId: '',
  entraClientId: '',
  entraClientSecret: '',
  servicePrincipalId: '',
  entraScope: 'assigned',
  includeDefaultAccess: '',
  nestedGroups: '',
  entraSelect: '',
  gotoClientId: '',
  gotoClientSecret: '',
  adminUserName: '',
  adminPassword: '',
  rateLimitPerSecond: '10',
  authUrl: '',
  scimUrl: '',
  adminUrl: '',
  intervalMinutes: '40',
  notifyEnabled: false,
  emails: '',
  digestMinutes: '15',
  smtpHost: '',
  smtpPort: '587',
  smtpTls: 'starttls',
  smtpUser: '',
  smtpPassword: '',
  smtpFrom: '',
};

const text = (v: unknown): string => (typeof v === 'string' ? v : '');
const choiceOf = (v: unknown): Choice => (typeof v === 'boolean' ? (String(v) as Choice) : '');

/** A job as the API answers it, in the form: credentials are never in it, so their fields start empty. */
export function formOfJob(job: ProvisioningJobView): JobForm {
  const s = job.source.settings;
  const smtp = job.notification.smtp;
  return {
    ...emptyJobForm,
    id: job.id,
    displayName: job.displayName ?? '',
    sourceKind: job.source.kind,
    tenantId: text(s.tenantId),
    entraClientId: text(s.clientId),
    servicePrincipalId: text(s.servicePrincipalId),
    entraScope: s.scope === 'all-users' ? 'all-users' : 'assigned',
    includeDefaultAccess: choiceOf(s.includeDefaultAccess),
    nestedGroups: choiceOf(s.nestedGroups),
    entraSelect: Array.isArray(s.select) ? s.select.join(', ') : '',
    gotoClientId: job.goto.clientId,
    adminUserName: job.goto.adminUserName ?? '',
    rateLimitPerSecond: String(job.goto.rateLimitPerSecond),
    authUrl: job.goto.authUrl ?? '',
    scimUrl: job.goto.scimUrl ?? '',
    adminUrl: job.goto.adminUrl ?? '',
    intervalMinutes: String(job.schedule.intervalMinutes),
    notifyEnabled: job.notification.enabled,
    emails: job.notification.emails.join(', '),
    digestMinutes: String(job.notification.digestMinutes),
    smtpHost: smtp?.host ?? '',
    smtpPort: String(smtp?.port ?? 587),
    smtpTls: smtp?.tls ?? 'starttls',
    smtpUser: smtp?.user ?? '',
    smtpFrom: smtp?.from ?? '',
  };
}

/** Set only what was filled in: an empty optional field falls back to the API's default. */
const optional = (v: string): string | undefined => (v.trim() ? v.trim() : undefined);
const number = (v: string): number => Number(v.trim());
/** A credential typed in replaces the stored one; left empty, it is left out, and the API keeps what it has. */
const secret = (v: string): string | undefined => (v ? v : undefined);
const choice = (v: Choice): boolean | undefined => (v === '' ? undefined : v === 'true');
const list = (v: string): string[] => v.split(/[,;\s]+/).map((e) => e.trim()).filter(Boolean);

/** The body of a create (with the id) or a replace, as the API's schema takes it; it checks and names every bad field. */
export function settingsOfForm(form: JobForm): ProvisioningJobSettings {
  return {
    displayName: optional(form.displayName),
    source:
      form.sourceKind === 'demo'
        ? { kind: 'demo', settings: { includeDefaultAccess: choice(form.includeDefaultAccess) } }
        : {
            kind: 'entra',
            settings: {
              tenantId: form.tenantId.trim(),
              clientId: form.entraClientId.trim(),
              clientSecret: secret(form.entraClientSecret),
              servicePrincipalId: form.servicePrincipalId.trim(),
              scope: form.entraScope,
              includeDefaultAccess: choice(form.includeDefaultAccess),
              nestedGroups: choice(form.nestedGroups),
              select: form.entraSelect.trim() ? list(form.entraSelect) : undefined,
            },
          },
    goto: {
      clientId: form.gotoClientId.trim(),
      clientSecret: secret(form.gotoClientSecret),
      adminUserName: optional(form.adminUserName),
      adminPassword: secret(form.adminPassword),
      rateLimitPerSecond: number(form.rateLimitPerSecond),
      authUrl: optional(form.authUrl),
      scimUrl: optional(form.scimUrl),
      adminUrl: optional(form.adminUrl),
    },
    schedule: { intervalMinutes: number(form.intervalMinutes) },
    notification: {
      enabled: form.notifyEnabled,
      emails: list(form.emails),
      digestMinutes: number(form.digestMinutes),
      smtp: form.smtpHost.trim()
        ? { host: form.smtpHost.trim(), port: number(form.smtpPort), tls: form.smtpTls, user: optional(form.smtpUser), password: secret(form.smtpPassword), from: form.smtpFrom.trim() }
        : undefined,
    },
  };
}

export const createBodyOfForm = (form: JobForm): CreateProvisioningJob => ({ id: form.id.trim(), ...settingsOfForm(form) });
