import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ADMIN_BASE_PATH, registerAdminRoutes } from './admin/admin.routes';
import { ApiDispatcher, type FamilyDefinition } from './api-dispatcher';
import { CITRIX_AUTH_STATUSES, STANDARD_AUTH_STATUSES } from './auth/bearer-auth';
import { oauthRoutes } from './auth/oauth.routes';
import { PrincipalRegistry } from './auth/principal-registry';
import { TokenStore } from './auth/token-store';
import { CONTROL_BASE_PATH, controlRoutes, handleControlRequest, type ControlTarget } from './control/control.routes';
import { GroupStore } from './directory/group-store';
import { seedUsers, type SeedUser } from './directory/seed-users';
import { UserStore, type EmulatedUser } from './directory/user-store';
import { resolveOptions, type BulkOption, type GotoEmulatorOptions, type RateLimitOption, type ResolvedOptions } from './emulator-options';
import { adminErrorBody, oauthErrorBody, scimErrorBody } from './http/error-bodies';
import type { JsonObject } from './http/http-io';
import type { ApiFamily } from './http/request-context';
import { RouteTable } from './http/route-table';
import { registerScimBulkRoutes } from './scim/scim-bulk.routes';
import { registerScimDiscoveryRoutes } from './scim/scim-discovery.routes';
import { userResourceType } from './scim/scim-schemas';
import { registerScimGroupRoutes } from './scim/scim-groups.routes';
import { SCIM_BASE_PATH } from './scim/scim-resources';
import { registerScimUserRoutes } from './scim/scim-users.routes';
import type { ValidationContext } from './scim/scim-validator';
import { FaultInjector } from './traffic/fault-injector';
import { RateLimiter } from './traffic/rate-limiter';
import { RequestLog, type LoggedFamily } from './traffic/request-log';

/** Base URLs in the shape `@roster/goto-client` takes. */
export interface EmulatorEndpoints {
  authUrl: string;
  scimUrl: string;
  adminUrl: string;
}

/**
 * A strict, in-memory GoTo: OAuth, SCIM 2.0 and Admin REST under one base URL, with GoTo's rate
 * limit, fault injection, a request log and a control API. A development and test tool only.
 */
export class GotoEmulator implements ControlTarget {
  readonly faults = new FaultInjector();
  readonly requestLog: RequestLog;
  private readonly options: ResolvedOptions;
  private readonly userStore = new UserStore();
  private readonly groupStore = new GroupStore();
  private readonly tokens: TokenStore;
  private readonly rateLimiter: RateLimiter;
  private readonly validation: ValidationContext;
  private readonly dispatcher: ApiDispatcher;
  private readonly inFlight = new Set<Promise<void>>();
  private readonly control: RouteTable;
  private bulkSetting: BulkOption;
  private server: Server | undefined;
  private url: string | undefined;

  constructor(options: GotoEmulatorOptions = {}) {
    this.options = resolveOptions(options);
    this.bulkSetting = this.options.bulk;
    this.requestLog = new RequestLog(this.options.requestLogLimit);
    this.tokens = new TokenStore(
      { accessSeconds: this.options.tokenTtlSeconds, refreshSeconds: this.options.refreshTokenTtlSeconds },
      this.options.clock,
    );
    this.rateLimiter = new RateLimiter(this.options.rateLimit, this.options.clock);
    this.validation = {
      verifiedDomains: new Set(this.options.verifiedDomains.map((domain) => domain.toLowerCase())),
      userResource: userResourceType(this.options.undocumentedUserAttributes),
    };
    this.dispatcher = new ApiDispatcher({
      families: this.families(),
      tokens: this.tokens,
      faults: this.faults,
      rateLimiter: this.rateLimiter,
      log: this.requestLog,
    });
    this.control = controlRoutes(this);
  }

  /** Listens on `port` (0 = any free port) and resolves to the base URL. */
  async start(port = 0): Promise<string> {
    if (this.url) return this.url;
    const server = createServer((req, res) => void this.route(req, res));
    server.keepAliveTimeout = 5_000;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, this.options.host, () => resolve());
    });
    const { port: bound } = server.address() as AddressInfo;
    this.server = server;
    this.url = `http://${this.options.host.includes(':') ? `[${this.options.host}]` : this.options.host}:${bound}`;
    return this.url;
  }

  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    this.url = undefined;
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  }

  get baseUrl(): string {
    if (!this.url) throw new Error('GotoEmulator is not started');
    return this.url;
  }

  get endpoints(): EmulatorEndpoints {
    return { authUrl: this.baseUrl, scimUrl: `${this.baseUrl}${SCIM_BASE_PATH}`, adminUrl: `${this.baseUrl}${ADMIN_BASE_PATH}` };
  }

  /** Read access to the directory; users created over SCIM, the Admin API or seeding all land here. */
  get users(): Pick<UserStore, 'size' | 'get' | 'getByUserName' | 'findByExternalId' | 'values'> {
    return this.userStore;
  }

  get groups(): Pick<GroupStore, 'size' | 'get' | 'getByDisplayName' | 'values'> {
    return this.groupStore;
  }

  get rateLimit(): RateLimitOption {
    return this.rateLimiter.current;
  }

  set rateLimit(limit: RateLimitOption) {
    this.rateLimiter.configure(limit);
  }

  /** SCIM bulk as offered now (see BulkOption): advertised by discovery and served at /Bulk from the next request. */
  get bulk(): BulkOption {
    return this.bulkSetting;
  }

  set bulk(setting: BulkOption) {
    this.bulkSetting = setting;
  }

  /** Empties the directory, tokens, faults, request log and rate-limit windows; options (bulk included) stay. */
  reset(): void {
    this.bulkSetting = this.options.bulk;
    this.userStore.clear();
    this.groupStore.clear();
    this.tokens.revokeAll();
    this.faults.clear();
    this.requestLog.clear();
    this.rateLimiter.configure(this.options.rateLimit);
  }

  /** Adds users without HTTP, validated as a SCIM POST would be; throws on the first invalid one. */
  seedUsers(users: readonly SeedUser[]): EmulatedUser[] {
    return seedUsers(this.userStore, users, this.validation, this.options.licenses);
  }

  /**
   * Changes made in GoTo by hand, behind Roster's back (drift): neither rate-limited nor logged as API
   * requests. `changes` replaces top-level SCIM attributes (`name`, the enterprise URN as a whole);
   * null removes one.
   */
  readonly byHand = {
    editUser: (id: string, changes: JsonObject): EmulatedUser => {
      const merged: JsonObject = { ...this.userStore.require(id).attributes, ...changes };
      for (const [k, v] of Object.entries(changes)) if (v === null) delete merged[k];
      return this.userStore.replaceAttributes(id, merged);
    },
    deleteUser: (id: string): void => {
      this.userStore.require(id);
      this.userStore.delete(id);
      this.groupStore.removeUser(id);
    },
    changeGroupMembers: (id: string, change: { add?: readonly string[]; remove?: readonly string[] }): void => {
      for (const userId of change.add ?? []) this.userStore.require(userId);
      this.groupStore.update(id, { addMembers: change.add ?? [], removeMembers: change.remove ?? [] });
    },
  };

  /** Invalidates every issued token, so the next API call sees a 401 (or 403 in Citrix mode). */
  revokeTokens(): void {
    this.tokens.revokeAll();
  }

  /**
   * Resolves once every API request received so far has been answered and applied, a slow one whose
   * caller gave up included: tests wait for this instead of sleeping.
   */
  async idle(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }

  private async route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://emulator');
    const served = familyOf(url.pathname);
    // Without the Admin API its paths are simply unknown, as on a GoTo that answers SCIM and OAuth only.
    const family = served === 'admin' && !this.options.adminApi ? 'unknown' : served;
    if (family === 'control') await handleControlRequest(this.control, req, res, url);
    else {
      const handling = this.dispatcher.handle(req, res, family, url);
      this.inFlight.add(handling);
      await handling.finally(() => this.inFlight.delete(handling));
    }
  }

  private families(): Record<ApiFamily, FamilyDefinition> {
    const { options } = this;
    const scimStatuses = options.citrixStatusCodes ? CITRIX_AUTH_STATUSES : STANDARD_AUTH_STATUSES;
    const scimDeps = {
      users: this.userStore,
      groups: this.groupStore,
      validation: this.validation,
      maxPageSize: options.maxPageSize,
      faults: this.faults,
      statuses: scimStatuses,
    };
    const scim = new RouteTable();
    registerScimUserRoutes(scim, scimDeps);
    registerScimGroupRoutes(scim, scimDeps);
    registerScimDiscoveryRoutes(scim, { ...scimDeps, schemaDiscovery: options.schemaDiscovery, bulk: () => this.bulkSetting });
    registerScimBulkRoutes(scim, { bulk: () => this.bulkSetting, routes: scim });
    const admin = new RouteTable();
    registerAdminRoutes(admin, {
      users: this.userStore,
      account: options.account,
      licenses: options.licenses,
      validation: this.validation,
      faults: this.faults,
      statuses: STANDARD_AUTH_STATUSES,
      options,
    });
    const auth = oauthRoutes({
      principals: new PrincipalRegistry(options.clients, options.adminUsers),
      tokens: this.tokens,
      account: options.account,
      clientCredentialsGrant: options.clientCredentialsGrant,
    });
    return {
      auth: { routes: auth, contentType: 'application/json', errorBody: oauthErrorBody },
      scim: { routes: scim, contentType: 'application/scim+json', errorBody: scimErrorBody, bearerAuth: scimStatuses },
      admin: {
        routes: admin,
        contentType: 'application/json',
        errorBody: (error) => adminErrorBody(error, options.adminErrorShape),
        bearerAuth: STANDARD_AUTH_STATUSES,
      },
    };
  }
}

function familyOf(path: string): LoggedFamily | 'control' {
  const under = (base: string) => path === base || path.startsWith(`${base}/`);
  if (under(CONTROL_BASE_PATH)) return 'control';
  if (path.startsWith('/oauth/')) return 'auth';
  if (under(SCIM_BASE_PATH)) return 'scim';
  if (under(ADMIN_BASE_PATH)) return 'admin';
  return 'unknown';
}
