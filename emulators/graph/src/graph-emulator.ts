import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { registerAdminRoutes } from './admin-routes';
import { DeltaRoutes, type DeltaExpiryCode } from './delta-routes';
import type {
  AppRoleAssignmentRecord,
  AssignmentInput,
  GroupPatch,
  GroupRecord,
  NewGroup,
  NewUser,
  ServicePrincipalRecord,
  UserPatch,
  UserRecord,
} from './directory-schemas';
import { DirectoryRoutes } from './directory-routes';
import { DirectoryStore } from './directory-store';
import type { EmulatorContext } from './emulator-context';
import { resolveOptions, type GraphEmulatorOptions, type ResolvedEmulatorOptions } from './emulator-options';
import { GraphHttpError } from './graph-errors';
import { Exchange } from './http-exchange';
import { NotificationSender, type NotificationDelivery } from './notification-sender';
import { RequestLog, type LoggedRequest } from './request-log';
import { Router } from './router';
import { registerSubscriptionRoutes } from './subscription-routes';
import { SubscriptionService, type LifecycleEvent, type SubscriptionView } from './subscription-service';
import { requestCost, Throttle, type ThrottlingSettings } from './throttle';
import { TokenService } from './token-service';

export interface SeedOptions {
  /** Domain of the generated UPNs and mail addresses. Default: the tenant domain. */
  domain?: string;
  /**
   * Assign every seeded user to a service principal. `true` means the default service
   * principal with its first app role (Default Access when it declares none).
   */
  assign?: boolean | Omit<AssignmentInput, 'principalId'>;
}

export interface EmulatorDescription {
  tenantId: string;
  tenantDomain: string;
  clientIds: string[];
  servicePrincipals: ServicePrincipalRecord[];
  counts: { users: number; deletedUsers: number; groups: number; assignments: number; subscriptions: number };
}

const TOKEN_PATH = /^\/([^/]+)\/oauth2\/v2\.0\/token$/;

/**
 * A strict, in-memory Microsoft Graph v1.0 for one tenant: the client-credentials token
 * endpoint, directory reads, delta queries, change notifications and throttling, plus an admin
 * API (these methods, and HTTP under `/_emulator/`) to shape the directory from tests.
 */
export class GraphEmulator implements EmulatorContext {
  readonly options: ResolvedEmulatorOptions;
  private directory: DirectoryStore;
  private readonly tokens: TokenService;
  private readonly throttle: Throttle;
  private readonly requests: RequestLog;
  private readonly sender: NotificationSender;
  private readonly subscriptions: SubscriptionService;
  private readonly directoryRoutes: DirectoryRoutes;
  private readonly deltaRoutes: DeltaRoutes;
  private readonly graphRouter = new Router();
  private readonly adminRouter = new Router();
  private server?: Server;
  private url?: string;

  constructor(options: GraphEmulatorOptions = {}) {
    const resolved = (this.options = resolveOptions(options));
    const { now } = resolved;
    this.tokens = new TokenService({ ...resolved, ttlSeconds: resolved.accessTokenTtlSeconds });
    this.throttle = new Throttle(resolved.tenantId, now);
    this.requests = new RequestLog(resolved.requestLogSize);
    this.sender = new NotificationSender({
      batchDelayMs: resolved.notificationBatchDelayMs,
      retryDelaysMs: resolved.notificationRetryDelaysMs,
      timeoutMs: resolved.notificationTimeoutMs,
      now,
    });
    this.subscriptions = new SubscriptionService(
      {
        tenantId: resolved.tenantId,
        validationTimeoutMs: resolved.subscriptionValidationTimeoutMs,
        maxPerApp: resolved.maxSubscriptionsPerApp,
        now,
      },
      this.sender,
    );
    this.directory = this.createStore();
    this.directoryRoutes = new DirectoryRoutes(this);
    this.deltaRoutes = new DeltaRoutes(this);
    this.deltaRoutes.register(this.graphRouter);
    this.directoryRoutes.register(this.graphRouter);
    registerSubscriptionRoutes(this.graphRouter, this.subscriptions);
    registerAdminRoutes(this.adminRouter, this);
  }

  get store(): DirectoryStore {
    return this.directory;
  }

  /** `http://host:port` once started; serves both the token endpoint and Graph. */
  get baseUrl(): string {
    if (!this.url) throw new Error('The Graph emulator is not started.');
    return this.url;
  }

  async start(port = 0): Promise<string> {
    if (this.server) throw new Error('The Graph emulator is already started.');
    const server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, this.options.host, () => resolve());
    });
    this.server = server;
    const { address, port: bound, family } = server.address() as AddressInfo;
    const host = ['0.0.0.0', '::'].includes(address) ? 'localhost' : family === 'IPv6' ? `[${address}]` : address;
    this.url = `http://${host}:${bound}`;
    return this.url;
  }

  async stop(): Promise<void> {
    this.sender.reset();
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    this.url = undefined;
    const closed = new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
    // Keep-alive sockets from clients would otherwise hold close() open.
    server.closeAllConnections();
    await closed;
  }

  // ---- admin: users ----

  addUser(user: NewUser): UserRecord {
    return this.directory.addUser(user);
  }

  updateUser(id: string, patch: UserPatch): UserRecord {
    return this.directory.updateUser(id, patch);
  }

  softDeleteUser(id: string): void {
    this.directory.softDeleteUser(id);
  }

  restoreUser(id: string): UserRecord {
    return this.directory.restoreUser(id);
  }

  hardDeleteUser(id: string): void {
    this.directory.hardDeleteUser(id);
  }

  /** Creates `count` users with generated attributes, fast enough for 100,000; returns their ids. */
  seedUsers(count: number, { domain = this.options.tenantDomain, assign }: SeedOptions = {}): string[] {
    const target = assign === true ? this.defaultAssignmentTarget() : assign || undefined;
    return this.directory.seedUsers(count, domain, target);
  }

  // ---- admin: groups ----

  addGroup(group: NewGroup): GroupRecord {
    return this.directory.addGroup(group);
  }

  updateGroup(id: string, patch: GroupPatch): GroupRecord {
    return this.directory.updateGroup(id, patch);
  }

  deleteGroup(id: string): void {
    this.directory.deleteGroup(id);
  }

  /** Adds a user or a group (nesting) as a direct member. */
  addGroupMember(groupId: string, memberId: string): void {
    this.directory.addGroupMember(groupId, memberId);
  }

  removeGroupMember(groupId: string, memberId: string): void {
    this.directory.removeGroupMember(groupId, memberId);
  }

  // ---- admin: app-role assignments ----

  /** Assigns a user or group; without `appRoleId` the role is Default Access (the all-zero GUID). */
  assignAppRole(assignment: AssignmentInput): AppRoleAssignmentRecord {
    return this.directory.assignAppRole(assignment);
  }

  unassignAppRole(assignmentId: string): void {
    this.directory.unassignAppRole(assignmentId);
  }

  // ---- admin: protocol behaviour ----

  /** Every delta and skip token issued so far answers 410 with `code` from now on. */
  expireDeltaTokens(code?: DeltaExpiryCode): void {
    this.deltaRoutes.expireTokens(code);
  }

  setThrottling(settings: ThrottlingSettings): void {
    this.throttle.configure(settings);
  }

  /** A valid access token without the HTTP grant; default: the first configured client. */
  issueAccessToken(clientId = this.options.clients[0].clientId): string {
    return this.tokens.mint(clientId).accessToken;
  }

  /** Every issued access token stops working (401), as after a revocation. */
  revokeAccessTokens(): void {
    this.tokens.revokeAll();
  }

  listSubscriptions(): SubscriptionView[] {
    return this.subscriptions.list();
  }

  triggerLifecycleEvent(subscriptionId: string, event: LifecycleEvent): void {
    this.subscriptions.triggerLifecycleEvent(subscriptionId, event);
  }

  notificationDeliveries(): NotificationDelivery[] {
    return this.sender.history();
  }

  /** Resolves when every pending notification was delivered or given up. */
  waitForNotifications(): Promise<void> {
    return this.sender.idle();
  }

  requestLog(): LoggedRequest[] {
    return this.requests.list();
  }

  clearRequestLog(): void {
    this.requests.clear();
  }

  /**
   * Empties the directory and subscriptions and invalidates every skip and delta token.
   * Configuration and issued access tokens survive, so a running client carries on.
   */
  reset(): void {
    this.sender.reset();
    this.subscriptions.clear();
    this.directory = this.createStore();
    this.directoryRoutes.forgetCursors();
    this.deltaRoutes.forgetTokens();
    this.throttle.configure({});
    this.requests.clear();
  }

  describe(): EmulatorDescription {
    return {
      tenantId: this.options.tenantId,
      tenantDomain: this.options.tenantDomain,
      clientIds: this.options.clients.map((client) => client.clientId),
      servicePrincipals: this.options.servicePrincipals,
      counts: { ...this.directory.counts, subscriptions: this.subscriptions.list().length },
    };
  }

  // ---- HTTP ----

  private createStore(): DirectoryStore {
    return new DirectoryStore({
      servicePrincipals: this.options.servicePrincipals,
      now: this.options.now,
      onChange: (change) => this.subscriptions.notify(change),
    });
  }

  private defaultAssignmentTarget(): Omit<AssignmentInput, 'principalId'> {
    const [servicePrincipal] = this.options.servicePrincipals;
    if (!servicePrincipal) throw new Error('No service principal is configured to assign seeded users to.');
    return { servicePrincipalId: servicePrincipal.id, appRoleId: servicePrincipal.appRoles[0]?.id };
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const exchange = new Exchange(req, res, this.options.now);
    const started = performance.now();
    res.once('finish', () =>
      this.requests.record({
        at: new Date(this.options.now()).toISOString(),
        method: exchange.method,
        url: req.url ?? '',
        status: res.statusCode,
        durationMs: Math.round((performance.now() - started) * 10) / 10,
        clientId: exchange.appId,
      }),
    );
    try {
      await this.dispatch(exchange);
    } catch (error) {
      if (res.headersSent) return;
      exchange.sendGraphError(
        error instanceof GraphHttpError
          ? error
          : new GraphHttpError(500, 'generalException', error instanceof Error ? error.message : String(error)),
      );
    }
  }

  private async dispatch(exchange: Exchange): Promise<void> {
    const path = exchange.url.pathname;
    if (path.startsWith('/_emulator/')) return this.route(this.adminRouter, exchange);
    const tokenPath = TOKEN_PATH.exec(path);
    if (tokenPath) return this.issueToken(exchange, decodeURIComponent(tokenPath[1]));
    if (!/^\/v1\.0\//i.test(path)) throw new GraphHttpError(400, 'BadRequest', 'Invalid version: this emulator serves v1.0 only.');

    exchange.appId = this.tokens.authenticate(exchange.header('authorization'));
    const cost = requestCost(exchange.method, path, exchange.url.searchParams);
    const admission = this.throttle.admit(exchange.appId, exchange.method, exchange.req.url ?? path, cost);
    for (const [name, value] of Object.entries(admission.headers)) exchange.res.setHeader(name, value);
    if (admission.error) throw admission.error;
    await this.route(this.graphRouter, exchange);
  }

  private async route(router: Router, exchange: Exchange): Promise<void> {
    const match = router.match(exchange.method, exchange.url.pathname);
    if (match.kind === 'found') return match.handler(exchange, match.params);
    if (match.kind === 'wrong-method') {
      throw new GraphHttpError(405, 'Request_BadRequest', `The HTTP method '${exchange.method}' is not allowed on this resource.`);
    }
    const segment = exchange.url.pathname.split('/').filter(Boolean).pop() ?? '';
    throw new GraphHttpError(400, 'BadRequest', `Resource not found for the segment '${segment}'.`);
  }

  private async issueToken(exchange: Exchange, tenant: string): Promise<void> {
    if (exchange.method !== 'POST') {
      throw new GraphHttpError(405, 'invalid_request', 'The token endpoint accepts POST only.');
    }
    const form = new URLSearchParams(await exchange.text());
    const { status, body } = this.tokens.issue(tenant, form, exchange.header('authorization'));
    exchange.send(status, body, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store, no-cache' });
  }
}
