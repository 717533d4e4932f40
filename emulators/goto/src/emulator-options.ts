import type { UndocumentedUserAttribute } from './scim/scim-schemas';

/**
 * Options of the GoTo emulator. Where the reference notes mark a GoTo behaviour as inferred ([I]), the
 * behaviour is an option here and its comment names the default choice, so a test can flip it when
 * the real service turns out to differ.
 */
export interface OAuthClientConfig {
  clientId: string;
  clientSecret: string;
  /** Whether a client_credentials token may manage users. Default true. */
  isAdmin?: boolean;
  /** ROLE_ORG_READ without admin rights: SCIM reads of users and groups are allowed, writes refused. Default false. */
  orgRead?: boolean;
}

export interface AdminUserConfig {
  /** Login e-mail, the `user_id` of the legacy direct login. */
  userId: string;
  password: string;
  /** Team Admin (SUPER_USER). A token of a non-admin is refused by user-management endpoints. */
  isAdmin: boolean;
  /**
   * ROLE_ORG_READ (the Citrix SCIM spec's role for reads) without admin rights: SCIM reads of users
   * and groups are allowed, every write is refused. Default false: the docs are silent on what a
   * plain member may read, so the emulator refuses.
   */
  orgRead?: boolean;
  firstName?: string;
  lastName?: string;
}

export interface AccountConfig {
  /** Account keys are large numeric strings at GoTo; keep them strings. */
  key: string;
  name: string;
}

export interface LicenseConfig {
  key: string;
  description: string;
  products: string[];
  /**
   * Seats the account bought; undefined: as many as needed. GoTo documents neither seat counts in
   * `GET /licenses` nor the refusal when none is left [I]: see admin/license-keys.ts for the choice.
   */
  seats?: number;
}

export type RateLimitOption =
  | 'unthrottled'
  | {
      /** Requests admitted per API family, per OAuth client, in any 1-second window. */
      perSecond: number;
      /** `Retry-After` on a 429. GoTo documents no such header [I]; null leaves it out. */
      retryAfterSeconds: number | null;
    };

/**
 * SCIM bulk (RFC 7644 §3.7). GoTo documents no /Bulk endpoint (its ServiceProviderConfigs only says
 * whether bulk is supported), so it is off unless asked for: 'unsupported' advertises
 * `bulk.supported: false` and answers /Bulk 404 as an unknown path.
 */
export type BulkOption =
  | 'unsupported'
  | {
      /** Operations one bulk request may carry; more is a 413. */
      maxOperations: number;
      /** Bytes one bulk request body may have; more is a 413. */
      maxPayloadSize: number;
    };

export interface GotoEmulatorOptions {
  /** Interface to listen on. Default 127.0.0.1. */
  host?: string;
  clients?: OAuthClientConfig[];
  adminUsers?: AdminUserConfig[];
  /** Organisation domains a SCIM userName or e-mail may use. Default ['example.com']. */
  verifiedDomains?: string[];
  account?: AccountConfig;
  licenses?: LicenseConfig[];
  /** Access-token lifetime; fractions allowed so tests can watch tokens expire. Default 3600. */
  tokenTtlSeconds?: number;
  /**
   * The clock tokens expire and rate-limit windows slide by (ms since the epoch). Default Date.now; a
   * test shares a fake one with the client to let tokens expire or windows pass without waiting.
   */
  clock?: () => number;
  /**
   * Whether the Admin REST API (`/admin/rest/v1`) is served. Some GoTo accounts answer SCIM and OAuth
   * only; with false every Admin path answers 404 as an unknown API would. Default true.
   */
  adminApi?: boolean;
  /** Default 30 days, as GoTo's older docs say. */
  refreshTokenTtlSeconds?: number;
  /** Default 10 requests/s with Retry-After 1, GoTo's documented default limit. */
  rateLimit?: RateLimitOption;
  /**
   * The Citrix SCIM spec answers 403 for a bad token and 401 for an insufficient role. Default false:
   * standard SCIM 2.0 (401 bad token, 403 insufficient role).
   */
  citrixStatusCodes?: boolean;
  /**
   * Largest page a SCIM `count` or Admin `pageSize` yields; larger requests are cut to it, as SCIM allows.
   * GoTo documents no maximum [I]. Default 100.
   */
  maxPageSize?: number;
  /** GoTo's client_credentials grant is seen only in third-party text [I]. Default true (accepted). */
  clientCredentialsGrant?: boolean;
  /**
   * Admin REST error body [I]: 'errorCode' = {errorCode, message, description} (default),
   * 'errors' = {errors: [{code, message}]}.
   */
  adminErrorShape?: 'errorCode' | 'errors';
  /** Name of a total-count field on Admin user lists [I]. Default undefined: none, so clients cannot rely on one. */
  adminListTotalField?: string;
  /**
   * `GET /admin/rest/v1/me`: GoTo documents `accounts[]`; some clients read a root `accountKey` [I].
   * Default 'both'.
   */
  meShape?: 'both' | 'accounts-only';
  /** Oldest request-log entries are dropped past this many. Default 1,000,000. */
  requestLogLimit?: number;
  /**
   * User attributes no GoTo document lists (`emails`, `title`) that this GoTo accepts and lists in
   * `/Schemas`, for testing a target whose schema says more than the docs. Default none: like every
   * fact the docs do not give, they are refused (400 invalidValue `Unknown attribute "title"`).
   */
  undocumentedUserAttributes?: UndocumentedUserAttribute[];
  /**
   * Serve RFC 7643 `/Schemas` and `/ResourceTypes`. GoTo documents neither for its SCIM 2.0 service [I]
   * (the Citrix spec has `/Schemas/Users`); default true, false answers them 404 so a client's fallback
   * can be tested.
   */
  schemaDiscovery?: boolean;
  /** Default 'unsupported', as at GoTo (see BulkOption); a test or bench turns it on here or over the control API. */
  bulk?: BulkOption;
}

export type ResolvedOptions = Required<Omit<GotoEmulatorOptions, 'adminListTotalField'>> &
  Pick<GotoEmulatorOptions, 'adminListTotalField'>;

export const DEFAULT_RATE_LIMIT: RateLimitOption = { perSecond: 10, retryAfterSeconds: 1 };

export function resolveOptions(options: GotoEmulatorOptions): ResolvedOptions {
  return {
    host: '127.0.0.1',
    clients: [],
    adminUsers: [],
    verifiedDomains: ['example.com'],
    account: { key: '8887380153236031176710', name: 'Example Organisation' },
    licenses: [{ key: '4730126558413921284', description: 'GoToMeeting Business', products: ['G2M'] }],
    tokenTtlSeconds: 3600,
    clock: Date.now,
    adminApi: true,
    refreshTokenTtlSeconds: 30 * 24 * 3600,
    rateLimit: DEFAULT_RATE_LIMIT,
    citrixStatusCodes: false,
    maxPageSize: 100,
    clientCredentialsGrant: true,
    adminErrorShape: 'errorCode',
    meShape: 'both',
    requestLogLimit: 1_000_000,
    undocumentedUserAttributes: [],
    schemaDiscovery: true,
    bulk: 'unsupported',
    ...withoutUndefined(options),
  };
}

function withoutUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
