import type { DirectorySourceSettings } from '@roster/contracts';
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
  /** Change notifications; only the watcher's own job (PROVISIONING_JOB_ID) has them, since they arrive on one URL. */
  webhook?: { url: string; clientState: string };
}

export function entraSettingsOf(jobId: string, source: EntraSource, c: WatcherConfig): EntraSettings {
  // A record may lack the secret (write-only, never set): the job cannot read Graph until an admin sets it.
  if (!source.clientSecret) throw new Error('its Entra source has no client secret: set source.settings.clientSecret');
  const webhook =
    jobId === c.PROVISIONING_JOB_ID && c.ENTRA_WEBHOOK_URL !== undefined
      ? { url: c.ENTRA_WEBHOOK_URL, clientState: c.ENTRA_WEBHOOK_CLIENT_STATE! }
      : undefined;
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
