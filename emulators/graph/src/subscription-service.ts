import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { DirectoryChange, DirectoryResource } from './directory-store';
import { badRequest, GraphHttpError } from './graph-errors';
import { parseInput } from './input-validation';
import type { NotificationSender } from './notification-sender';

export type LifecycleEvent = 'reauthorizationRequired' | 'subscriptionRemoved' | 'missed';

export interface SubscriptionView {
  id: string;
  resource: string;
  applicationId: string;
  changeType: string;
  clientState: string | null;
  notificationUrl: string;
  lifecycleNotificationUrl: string | null;
  expirationDateTime: string;
  creatorId: string;
  latestSupportedTlsVersion: string;
  includeResourceData: boolean;
  encryptionCertificate: string | null;
  encryptionCertificateId: string | null;
}

interface StoredSubscription {
  view: SubscriptionView;
  target: { resource: DirectoryResource; id?: string };
  changeTypes: ReadonlySet<string>;
  /** Set by a reauthorizationRequired event: Graph holds notifications until the app reauthorizes. */
  paused: boolean;
}

export interface SubscriptionServiceOptions {
  tenantId: string;
  validationTimeoutMs: number;
  maxPerApp: number;
  now: () => number;
}

/** Graph's maximum subscription lifetime for users, groups and other directory resources. */
const MAX_LIFETIME_MINUTES = 41_760;
const RESOURCE = /^\/?(users|groups)(?:\/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}))?$/i;
const DIRECTORY_CHANGE_TYPES = new Set(['updated', 'deleted']);
const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);
const RESOURCE_NAMES: Record<DirectoryResource, { path: string; type: string }> = {
  users: { path: 'Users', type: '#Microsoft.Graph.User' },
  groups: { path: 'Groups', type: '#Microsoft.Graph.Group' },
};

const createSchema = z.strictObject({
  '@odata.type': z.literal('#microsoft.graph.subscription').optional(),
  changeType: z.string(),
  notificationUrl: z.string(),
  resource: z.string(),
  expirationDateTime: z.string(),
  clientState: z.string().max(128).nullable().optional(),
  lifecycleNotificationUrl: z.string().nullable().optional(),
  latestSupportedTlsVersion: z.enum(['v1_0', 'v1_1', 'v1_2', 'v1_3']).optional(),
  includeResourceData: z.boolean().optional(),
  encryptionCertificate: z.string().nullable().optional(),
  encryptionCertificateId: z.string().nullable().optional(),
});
const renewSchema = z.strictObject({ expirationDateTime: z.string() });

const invalidRequest = (message: string) => new GraphHttpError(400, 'InvalidRequest', message);

/**
 * Change-notification subscriptions on users and groups: creation behind the validation
 * handshake, renewal, expiry, per-app quota, notification fan-out and lifecycle events.
 */
export class SubscriptionService {
  private readonly subscriptions = new Map<string, StoredSubscription>();

  constructor(
    private readonly options: SubscriptionServiceOptions,
    private readonly sender: NotificationSender,
  ) {}

  async create(appId: string, body: unknown): Promise<SubscriptionView> {
    const input = parseInput(createSchema, body, invalidRequest);
    const target = RESOURCE.exec(input.resource);
    if (!target) {
      throw invalidRequest(`Resource '${input.resource}' is not supported; use users, groups, users/{id} or groups/{id}.`);
    }
    const changeTypes = new Set(input.changeType.split(',').map((type) => type.trim()));
    if ([...changeTypes].some((type) => !DIRECTORY_CHANGE_TYPES.has(type))) {
      throw invalidRequest(`ChangeType '${input.changeType}' is not supported for resource '${input.resource}'; use 'updated' and/or 'deleted'.`);
    }
    if (input.includeResourceData) throw invalidRequest('Rich notifications (includeResourceData) are not supported for this resource.');
    checkEndpoint(input.notificationUrl, 'notificationUrl');
    if (input.lifecycleNotificationUrl) checkEndpoint(input.lifecycleNotificationUrl, 'lifecycleNotificationUrl');
    const expirationDateTime = this.checkExpiration(input.expirationDateTime);
    if (this.list(appId).length >= this.options.maxPerApp) {
      throw new GraphHttpError(
        403,
        'Forbidden',
        `Subscription quota exceeded: an application can have at most ${this.options.maxPerApp} subscriptions in a tenant.`,
      );
    }

    // Graph validates both endpoints before it stores anything.
    const endpoints = new Set([input.notificationUrl, input.lifecycleNotificationUrl ?? input.notificationUrl]);
    for (const endpoint of endpoints) await this.validateEndpoint(endpoint);

    const view: SubscriptionView = {
      id: randomUUID(),
      resource: input.resource,
      applicationId: appId,
      changeType: input.changeType,
      clientState: input.clientState ?? null,
      notificationUrl: input.notificationUrl,
      lifecycleNotificationUrl: input.lifecycleNotificationUrl ?? null,
      expirationDateTime,
      creatorId: appId,
      latestSupportedTlsVersion: input.latestSupportedTlsVersion ?? 'v1_2',
      includeResourceData: false,
      encryptionCertificate: input.encryptionCertificate ?? null,
      encryptionCertificateId: input.encryptionCertificateId ?? null,
    };
    const resource = target[1].toLowerCase() as DirectoryResource;
    this.subscriptions.set(view.id, { view, target: { resource, id: target[2] }, changeTypes, paused: false });
    return { ...view };
  }

  renew(appId: string, id: string, body: unknown): SubscriptionView {
    const subscription = this.require(id, appId);
    subscription.view.expirationDateTime = this.checkExpiration(parseInput(renewSchema, body, invalidRequest).expirationDateTime);
    subscription.paused = false;
    return { ...subscription.view };
  }

  reauthorize(appId: string, id: string): void {
    this.require(id, appId).paused = false;
  }

  delete(appId: string, id: string): void {
    this.require(id, appId);
    this.subscriptions.delete(id);
  }

  get(appId: string, id: string): SubscriptionView {
    return { ...this.require(id, appId).view };
  }

  /** Live subscriptions of one application, or of all when no app is named (admin view). */
  list(appId?: string): SubscriptionView[] {
    this.removeExpired();
    return [...this.subscriptions.values()]
      .filter((subscription) => appId === undefined || subscription.view.applicationId === appId)
      .map((subscription) => ({ ...subscription.view }));
  }

  notify(change: DirectoryChange): void {
    if (this.subscriptions.size === 0) return;
    this.removeExpired();
    const names = RESOURCE_NAMES[change.resource];
    for (const { view, target, changeTypes, paused } of this.subscriptions.values()) {
      if (paused || target.resource !== change.resource || !changeTypes.has(change.changeType)) continue;
      if (target.id !== undefined && target.id.toLowerCase() !== change.id.toLowerCase()) continue;
      this.sender.enqueue(view.notificationUrl, {
        subscriptionId: view.id,
        subscriptionExpirationDateTime: view.expirationDateTime,
        tenantId: this.options.tenantId,
        clientState: view.clientState,
        changeType: change.changeType,
        resource: `${names.path}/${change.id}`,
        resourceData: { '@odata.type': names.type, '@odata.id': `${names.path}/${change.id}`, id: change.id },
      });
    }
  }

  /** Sends a lifecycle notification and applies its effect (pause, removal). */
  triggerLifecycleEvent(id: string, event: LifecycleEvent): void {
    const subscription = this.require(id);
    const { view } = subscription;
    if (!view.lifecycleNotificationUrl) {
      throw badRequest('The subscription has no lifecycleNotificationUrl; Graph sends lifecycle notifications only there.');
    }
    this.sender.enqueue(view.lifecycleNotificationUrl, {
      subscriptionId: view.id,
      subscriptionExpirationDateTime: view.expirationDateTime,
      tenantId: this.options.tenantId,
      clientState: view.clientState,
      lifecycleEvent: event,
    });
    if (event === 'subscriptionRemoved') this.subscriptions.delete(id);
    if (event === 'reauthorizationRequired') subscription.paused = true;
  }

  clear(): void {
    this.subscriptions.clear();
  }

  /**
   * The handshake: POST `?validationToken=…` and expect the decoded token back as text/plain
   * with 200 within the timeout. The token has spaces and colons so that echoing it still
   * URL-encoded fails, as it does against Graph.
   */
  private async validateEndpoint(endpoint: string): Promise<void> {
    const token = `Validation: Testing client application reachability for subscription Request-Id: ${randomUUID()}`;
    const url = new URL(endpoint);
    url.searchParams.append('validationToken', token);
    let response: Response;
    let body: string;
    try {
      response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'text/plain; charset=utf-8' },
        signal: AbortSignal.timeout(this.options.validationTimeoutMs),
      });
      body = await response.text();
    } catch {
      throw invalidRequest('Subscription validation request failed. Notification endpoint must respond with 200 OK to validation request.');
    }
    if (response.status !== 200) {
      throw invalidRequest(`Subscription validation request failed. HTTP status code is '${response.status}'.`);
    }
    if (!/^text\/plain\b/i.test(response.headers.get('content-type') ?? '') || body !== token) {
      throw invalidRequest('Subscription validation request failed. Response must exactly match validationToken query parameter.');
    }
  }

  private checkExpiration(raw: string): string {
    const expires = Date.parse(raw);
    if (Number.isNaN(expires)) throw invalidRequest(`expirationDateTime '${raw}' is not a valid date and time.`);
    const now = this.options.now();
    if (expires <= now) throw invalidRequest('Subscription expiration date must be in the future.');
    if (expires > now + MAX_LIFETIME_MINUTES * 60_000) {
      throw invalidRequest(`Subscription expiration can only be ${MAX_LIFETIME_MINUTES} minutes in the future.`);
    }
    return new Date(expires).toISOString();
  }

  private require(id: string, appId?: string): StoredSubscription {
    this.removeExpired();
    const subscription = this.subscriptions.get(id);
    if (!subscription || (appId !== undefined && subscription.view.applicationId !== appId)) {
      throw new GraphHttpError(404, 'ResourceNotFound', `The subscription '${id}' does not exist.`);
    }
    return subscription;
  }

  private removeExpired(): void {
    const now = this.options.now();
    for (const [id, { view }] of this.subscriptions) {
      if (Date.parse(view.expirationDateTime) <= now) this.subscriptions.delete(id);
    }
  }
}

/** HTTPS as Graph demands, except on loopback so a local receiver needs no certificate. */
function checkEndpoint(raw: string, field: string): void {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw invalidRequest(`${field} must be an absolute URL.`);
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname))) {
    throw invalidRequest(`${field} must use HTTPS.`);
  }
}
