import type { DirectorySourceSettings } from '@roster/contracts';
import { createHmac } from 'node:crypto';
import { scopeOptionsOf } from '../config/scope-settings';
import type { WatcherConfig } from '../config/watcher.config';

type EntraSource = Extract<DirectorySourceSettings, { kind: 'entra' }>['settings'];

/**
 * What one job's Entra source reads with: the tenant, app, credentials and scope options of the
 * job's record (or the environment's job), and the watcher's installation-wide Graph address and limits.
 */
export interface EntraSettings {
  jobId: string;
  tenantId: string;
  clientId: string;
  clientSecret: string;
  servicePrincipalId: string;
  scope: EntraSource['scope'];
  nestedGroups: boolean;
  select: string[] | undefined;
  loginUrl: string;
  graphUrl: string;
  pageSize: number;
  maxConcurrency: number;
  /** Change notifications, while ENTRA_WEBHOOK_URL is set (see entraWebhookOf). */
  webhook?: { url: string; clientState: string };
}

export function entraSettingsOf(jobId: string, source: EntraSource, c: WatcherConfig): EntraSettings {
  // A record may lack the secret (write-only, never set): the job cannot read Graph until an admin sets it.
  if (!source.clientSecret) throw new Error('its Entra source has no client secret: set source.settings.clientSecret');
  const webhook = entraWebhookOf(jobId, c);
  const { nestedGroups, select } = scopeOptionsOf({ kind: 'entra', settings: source }, c);
  return {
    jobId,
    tenantId: source.tenantId,
    clientId: source.clientId,
    clientSecret: source.clientSecret,
    servicePrincipalId: source.servicePrincipalId,
    scope: source.scope,
    nestedGroups,
    select,
    loginUrl: c.GRAPH_LOGIN_URL,
    graphUrl: c.GRAPH_URL,
    pageSize: c.GRAPH_PAGE_SIZE,
    maxConcurrency: c.GRAPH_MAX_CONCURRENCY,
    ...(webhook ? { webhook } : {}),
  };
}

/**
 * Where a job's change notifications arrive and the clientState they must carry. Each job has its
 * own: ENTRA_WEBHOOK_URL followed by the job id, and a clientState derived from
 * ENTRA_WEBHOOK_CLIENT_STATE and the id, so one job's notifications (or a job's URL guessed) can
 * wake no other. The watcher's own job keeps the bare URL and secret, so it takes over the
 * subscriptions it made before jobs were records.
 */
export function entraWebhookOf(jobId: string, c: WatcherConfig): { url: string; clientState: string } | undefined {
  if (c.ENTRA_WEBHOOK_URL === undefined) return undefined;
  const clientState = webhookClientState(jobId, c);
  if (jobId === c.PROVISIONING_JOB_ID) return { url: c.ENTRA_WEBHOOK_URL, clientState };
  const url = new URL(c.ENTRA_WEBHOOK_URL);
  url.pathname = `${url.pathname.replace(/\/+$/, '')}/${jobId}`;
  return { url: url.toString(), clientState };
}

/** The clientState of a job's notifications (43 characters for another job: within Graph's 128). */
export function webhookClientState(jobId: string, c: WatcherConfig): string {
  const secret = c.ENTRA_WEBHOOK_CLIENT_STATE ?? '';
  return jobId === c.PROVISIONING_JOB_ID ? secret : createHmac('sha256', secret).update(jobId).digest('base64url');
}
