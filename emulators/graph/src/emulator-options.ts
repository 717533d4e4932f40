import type { ServicePrincipalRecord } from './directory-schemas';
import type { ClientApplication } from './token-service';

export interface AppRoleOptions {
  id: string;
  value: string;
  displayName?: string;
  description?: string;
  allowedMemberTypes?: ('User' | 'Application')[];
  isEnabled?: boolean;
}

export interface ServicePrincipalOptions {
  id: string;
  appId: string;
  displayName: string;
  appRoles?: AppRoleOptions[];
}

export interface GraphEmulatorOptions {
  /** Default: {@link DEMO_TENANT.tenantId}. */
  tenantId?: string;
  /** The tenant's initial domain, accepted in the token URL instead of the id. */
  tenantDomain?: string;
  /** Applications allowed to get tokens. Default: the demo client. */
  clients?: ClientApplication[];
  /** Enterprise apps whose app-role assignments can be read. Default: the demo GoToMeeting app. */
  servicePrincipals?: ServicePrincipalOptions[];
  /** Interface `start()` listens on. Default 127.0.0.1. */
  host?: string;
  /** Lifetime of issued access tokens. Default 3599 (what Entra returns). */
  accessTokenTtlSeconds?: number;
  /** Page size of collection reads without `$top`. Default 100. */
  defaultPageSize?: number;
  /** Objects per delta page (delta takes no `$top`). Default 100. */
  deltaPageSize?: number;
  /** `members@delta` entries per page; bigger groups spread over consecutive pages. Default 100. */
  deltaMemberSliceSize?: number;
  /** Repeat the previous page's last object at the start of the next, as Graph may. Default true. */
  deltaReplays?: boolean;
  /** Lifetime of delta and skip tokens. Default 7 days (Graph's figure for directory objects). */
  deltaTokenTtlMs?: number;
  /** Time a notification endpoint has to echo the validation token. Default 10 000. */
  subscriptionValidationTimeoutMs?: number;
  /** Subscriptions per application. Default 100 (Graph's per app and tenant quota). */
  maxSubscriptionsPerApp?: number;
  /** Changes within this window go out in one notification POST. Default 50. */
  notificationBatchDelayMs?: number;
  /** Waits before re-delivering after a non-2xx answer; one retry per entry. Default [1000, 5000, 15000]. */
  notificationRetryDelaysMs?: number[];
  /** Timeout of one notification POST. Default 10 000. */
  notificationTimeoutMs?: number;
  /** Requests kept for `requestLog()`. Default 1000. */
  requestLogSize?: number;
  /** Clock, injectable so tests can move time instead of waiting. Default Date.now. */
  now?: () => number;
}

export type ResolvedEmulatorOptions = Required<Omit<GraphEmulatorOptions, 'servicePrincipals'>> & {
  servicePrincipals: ServicePrincipalRecord[];
};

/** Fixed identities so a developer can configure the watcher once against any emulator run. */
export const DEMO_TENANT = {
  tenantId: '3f9a1c52-6d0b-4e8f-9b27-5c41d8e0a7f3',
  tenantDomain: 'roster-demo.onmicrosoft.com',
  clientId: '6b2d0e4f-8a1c-4f3e-b5d7-2c9e1a0f4b68',
  clientSecret: 'roster-demo-client-secret',
  servicePrincipalId: '9d4e7b21-3c5a-4f80-a6e2-0b1d8c7f5e34',
  appId: 'c8a1f2e3-5b4d-4a6c-9e7f-1d2b3c4a5e6f',
  userRoleId: '5e2c8b1a-9f3d-4c7e-8a6b-2d1f0e9c4b73',
} as const;

/** The directory-watcher settings that point it at an emulator running with the demo tenant. */
export function demoTenantWatcherEnv(emulatorBaseUrl: string): Record<string, string> {
  return {
    DIRECTORY_SOURCE: 'entra',
    ENTRA_TENANT_ID: DEMO_TENANT.tenantId,
    ENTRA_CLIENT_ID: DEMO_TENANT.clientId,
    ENTRA_CLIENT_SECRET: DEMO_TENANT.clientSecret,
    ENTRA_SERVICE_PRINCIPAL_ID: DEMO_TENANT.servicePrincipalId,
    GRAPH_LOGIN_URL: emulatorBaseUrl,
    GRAPH_URL: emulatorBaseUrl,
  };
}

const DEMO_SERVICE_PRINCIPAL: ServicePrincipalOptions = {
  id: DEMO_TENANT.servicePrincipalId,
  appId: DEMO_TENANT.appId,
  displayName: 'GoToMeeting',
  appRoles: [{ id: DEMO_TENANT.userRoleId, value: 'User', displayName: 'User', description: 'GoToMeeting user' }],
};

export function resolveOptions(options: GraphEmulatorOptions): ResolvedEmulatorOptions {
  const tenantId = options.tenantId ?? DEMO_TENANT.tenantId;
  return {
    tenantId,
    tenantDomain: options.tenantDomain ?? DEMO_TENANT.tenantDomain,
    clients: options.clients ?? [{ clientId: DEMO_TENANT.clientId, clientSecret: DEMO_TENANT.clientSecret }],
    servicePrincipals: (options.servicePrincipals ?? [DEMO_SERVICE_PRINCIPAL]).map((sp) => ({
      id: sp.id,
      appId: sp.appId,
      displayName: sp.displayName,
      appDisplayName: sp.displayName,
      accountEnabled: true,
      servicePrincipalType: 'Application',
      appOwnerOrganizationId: tenantId,
      appRoles: (sp.appRoles ?? []).map((role) => ({
        id: role.id,
        value: role.value,
        displayName: role.displayName ?? role.value,
        description: role.description ?? role.value,
        allowedMemberTypes: role.allowedMemberTypes ?? ['User'],
        isEnabled: role.isEnabled ?? true,
        origin: 'Application',
      })),
    })),
    host: options.host ?? '127.0.0.1',
    accessTokenTtlSeconds: options.accessTokenTtlSeconds ?? 3599,
    defaultPageSize: options.defaultPageSize ?? 100,
    deltaPageSize: options.deltaPageSize ?? 100,
    deltaMemberSliceSize: options.deltaMemberSliceSize ?? 100,
    deltaReplays: options.deltaReplays ?? true,
    deltaTokenTtlMs: options.deltaTokenTtlMs ?? 7 * 24 * 3600 * 1000,
    subscriptionValidationTimeoutMs: options.subscriptionValidationTimeoutMs ?? 10_000,
    maxSubscriptionsPerApp: options.maxSubscriptionsPerApp ?? 100,
    notificationBatchDelayMs: options.notificationBatchDelayMs ?? 50,
    notificationRetryDelaysMs: options.notificationRetryDelaysMs ?? [1000, 5000, 15000],
    notificationTimeoutMs: options.notificationTimeoutMs ?? 10_000,
    requestLogSize: options.requestLogSize ?? 1000,
    now: options.now ?? Date.now,
  };
}
