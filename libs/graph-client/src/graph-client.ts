import { AccessTokenProvider } from './access-token-provider';
import {
  classifyGraphError,
  GraphApiError,
  noResponseError,
  parseJsonObject,
  parseRetryAfter,
} from './graph-api-error';
import { GRAPH_DEFAULT_ENDPOINTS, type GraphClientOptions, type GraphHttpExchange } from './graph-client-options';
import type {
  AppRoleAssignment,
  CreateSubscriptionInput,
  DeltaObject,
  DeltaPage,
  DirectoryObject,
  ServicePrincipal,
  Subscription,
} from './graph-resources';
import { RequestGate } from './request-gate';

interface CollectionResponse<T> {
  value?: T[];
  '@odata.nextLink'?: string;
  '@odata.deltaLink'?: string;
}

interface HttpAnswer {
  status: number;
  headers: Headers;
  text: string;
  /** The token the request carried, so a 401 drops exactly that one. */
  token: string;
}

/** Backoff for a 429/503 without Retry-After: 1 s, 2 s, 4 s … capped at 32 s. */
const backoffMs = (attempt: number) => Math.min(32_000, 1000 * 2 ** attempt);

/**
 * A framework-free Microsoft Graph v1.0 client for directory reads, delta rounds and
 * subscriptions. Collections stream page by page; nothing holds a whole population. Tokens are
 * cached and refreshed before expiry; 429/503 are waited out per Retry-After (pausing every
 * request of this client, since Graph throttles per application) up to a bounded number of
 * retries; anything else surfaces as a classified {@link GraphApiError}.
 */
export class GraphClient {
  private readonly graphUrl: string;
  private readonly graphOrigin: string;
  private readonly tokens: AccessTokenProvider;
  private readonly gate: RequestGate;
  private readonly timeoutMs: number;
  private readonly pageSize: number;
  private readonly maxThrottleRetries: number;
  private readonly maxRetryAfterMs: number;
  private readonly onExchange: (exchange: GraphHttpExchange) => void;

  constructor(options: GraphClientOptions) {
    const endpoints = options.endpoints ?? GRAPH_DEFAULT_ENDPOINTS;
    this.graphUrl = endpoints.graphUrl.replace(/\/+$/, '');
    this.graphOrigin = new URL(this.graphUrl).origin;
    this.timeoutMs = options.timeoutMs ?? 30_000;
    this.pageSize = options.pageSize ?? 999;
    this.maxThrottleRetries = options.maxThrottleRetries ?? 5;
    this.maxRetryAfterMs = options.maxRetryAfterMs ?? 120_000;
    this.onExchange = options.onExchange ?? (() => undefined);
    this.tokens = new AccessTokenProvider(endpoints.loginUrl, options.credentials, this.timeoutMs, options.clock, this.onExchange);
    this.gate = new RequestGate(options.maxConcurrency ?? 4);
  }

  /**
   * Pages of a collection, following `@odata.nextLink` to the end. A relative path is taken under
   * `/v1.0/` and gets `$top` = pageSize unless it sets one; a full URL (a nextLink) is used as is.
   */
  async *pages<T>(pathOrUrl: string, query: Record<string, string> = {}): AsyncGenerator<T[]> {
    const url = this.resolve(pathOrUrl, query);
    if (!isAbsolute(pathOrUrl) && !url.searchParams.has('$top')) url.searchParams.set('$top', String(this.pageSize));
    yield* this.follow<T>(url.toString());
  }

  /**
   * One delta round: from scratch with `select`, or resuming from a stored `deltaLink` (which
   * already encodes the selection, so `select` is then ignored). A stored `nextLink` resumes a
   * round cut short. Every page but the last carries its nextLink; the last carries the new
   * deltaLink. An expired or reset cursor throws a `resync-required` error: start over without it.
   */
  async *delta<T extends DeltaObject = DeltaObject>(
    resource: 'users' | 'groups',
    { select, deltaLink }: { select: string[]; deltaLink?: string },
  ): AsyncGenerator<DeltaPage<T>> {
    let url = deltaLink
      ? this.resolve(deltaLink).toString()
      : this.resolve(`${resource}/delta`, select.length > 0 ? { $select: select.join(',') } : {}).toString();
    for (;;) {
      const page = await this.request<CollectionResponse<T>>('GET', url);
      const next = page['@odata.nextLink'];
      if (next) {
        url = this.resolve(next).toString();
        yield { items: page.value ?? [], nextLink: url };
        continue;
      }
      const newDeltaLink = page['@odata.deltaLink'];
      if (!newDeltaLink) {
        throw new GraphApiError({
          message: `GET ${resource}/delta: the last page carries neither @odata.nextLink nor @odata.deltaLink`,
          status: 200,
          code: 'invalidDeltaResponse',
          kind: 'permanent',
        });
      }
      yield { items: page.value ?? [], deltaLink: newDeltaLink };
      return;
    }
  }

  getServicePrincipal(id: string): Promise<ServicePrincipal> {
    return this.request<ServicePrincipal>('GET', this.resolve(`servicePrincipals/${encodeURIComponent(id)}`).toString());
  }

  /** Every user, group and service principal assigned an app role on the service principal. */
  appRoleAssignedTo(servicePrincipalId: string, { select }: { select?: string[] } = {}): AsyncGenerator<AppRoleAssignment[]> {
    return this.pages<AppRoleAssignment>(
      `servicePrincipals/${encodeURIComponent(servicePrincipalId)}/appRoleAssignedTo`,
      select ? { $select: select.join(',') } : {},
    );
  }

  /** Direct members, or with `transitive` the members of nested groups too. */
  groupMembers(
    groupId: string,
    { transitive = false, select }: { transitive?: boolean; select?: string[] } = {},
  ): AsyncGenerator<DirectoryObject[]> {
    const relation = transitive ? 'transitiveMembers' : 'members';
    return this.pages<DirectoryObject>(
      `groups/${encodeURIComponent(groupId)}/${relation}`,
      select ? { $select: select.join(',') } : {},
    );
  }

  /** Creates a subscription; Graph first runs the validation handshake against the notification URL. */
  createSubscription(input: CreateSubscriptionInput): Promise<Subscription> {
    const body = { ...input, expirationDateTime: new Date(input.expirationDateTime).toISOString() };
    return this.request<Subscription>('POST', this.resolve('subscriptions').toString(), body);
  }

  /** This application's subscriptions, so a restarted watcher reuses its own rather than adding more. */
  async listSubscriptions(): Promise<Subscription[]> {
    const all: Subscription[] = [];
    for await (const page of this.follow<Subscription>(this.resolve('subscriptions').toString())) all.push(...page);
    return all;
  }

  renewSubscription(id: string, expirationDateTime: Date | string): Promise<Subscription> {
    return this.request<Subscription>('PATCH', this.resolve(`subscriptions/${encodeURIComponent(id)}`).toString(), {
      expirationDateTime: new Date(expirationDateTime).toISOString(),
    });
  }

  /** Idempotent: a subscription that already expired or was removed counts as deleted. */
  async deleteSubscription(id: string): Promise<void> {
    try {
      await this.request('DELETE', this.resolve(`subscriptions/${encodeURIComponent(id)}`).toString());
    } catch (error) {
      if (!(error instanceof GraphApiError && error.status === 404)) throw error;
    }
  }

  private async *follow<T>(url: string): AsyncGenerator<T[]> {
    for (let next: string | undefined = url; next !== undefined; ) {
      const page: CollectionResponse<T> = await this.request<CollectionResponse<T>>('GET', next);
      yield page.value ?? [];
      next = page['@odata.nextLink'] && this.resolve(page['@odata.nextLink']).toString();
    }
  }

  /** Resolves under `/v1.0/`, and refuses any URL that would carry the token off the Graph origin. */
  private resolve(pathOrUrl: string, query: Record<string, string> = {}): URL {
    const url = isAbsolute(pathOrUrl)
      ? new URL(pathOrUrl)
      : new URL(`${this.graphUrl}/v1.0/${pathOrUrl.replace(/^\/+/, '').replace(/^v1\.0\//i, '')}`);
    if (url.origin !== this.graphOrigin) {
      throw new GraphApiError({
        message: `Refusing to call ${url.origin}: links must stay on ${this.graphUrl}`,
        status: 0,
        code: 'foreignUrl',
        kind: 'permanent',
      });
    }
    for (const [name, value] of Object.entries(query)) url.searchParams.set(name, value);
    return url;
  }

  private async request<T>(method: string, url: string, body?: unknown): Promise<T> {
    let reauthenticated = false;
    for (let retries = 0; ; ) {
      const answer = await this.gate.run(() => this.send(method, url, body));
      if (answer.status >= 200 && answer.status < 300) return this.parseBody<T>(method, url, answer);

      const error = this.toError(method, url, answer);
      if (answer.status === 401 && !reauthenticated) {
        // A revoked or rotated token: fetch a fresh one once before calling it fatal.
        this.tokens.invalidate(answer.token);
        reauthenticated = true;
        continue;
      }
      if ((answer.status === 429 || answer.status === 503) && retries < this.maxThrottleRetries) {
        const delay = error.retryAfterMs ?? backoffMs(retries);
        if (delay <= this.maxRetryAfterMs) {
          this.gate.pause(delay);
          retries++;
          continue;
        }
      }
      throw error;
    }
  }

  private async send(method: string, url: string, body: unknown): Promise<HttpAnswer> {
    const token = await this.tokens.token();
    const target = new URL(url);
    const startedAt = Date.now();
    const started = performance.now();
    let status: number | null = null;
    try {
      const response = await fetch(target, {
        method,
        headers: {
          authorization: `Bearer ${token}`,
          accept: 'application/json',
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      status = response.status;
      return { status: response.status, headers: response.headers, text: await response.text(), token };
    } catch (cause) {
      throw noResponseError(`${method} ${target.pathname}`, cause);
    } finally {
      this.onExchange({ api: 'graph', operation: resourceOf(target), method, status, startedAt, durationMs: performance.now() - started });
    }
  }

  private parseBody<T>(method: string, url: string, answer: HttpAnswer): T {
    if (answer.text === '') return undefined as T;
    try {
      return JSON.parse(answer.text) as T;
    } catch (cause) {
      throw new GraphApiError({
        message: `${method} ${new URL(url).pathname} answered ${answer.status} with a body that is not JSON`,
        status: answer.status,
        code: 'invalidResponse',
        kind: 'permanent',
        cause,
      });
    }
  }

  private toError(method: string, url: string, answer: HttpAnswer): GraphApiError {
    const error = parseJsonObject(answer.text).error as { code?: unknown; message?: unknown } | undefined;
    const code = typeof error?.code === 'string' ? error.code : `http${answer.status}`;
    const message = typeof error?.message === 'string' ? error.message : '';
    return new GraphApiError({
      message: `${method} ${new URL(url).pathname} failed: ${answer.status} ${code}${message ? `: ${message}` : ''}`,
      status: answer.status,
      code,
      kind: classifyGraphError(answer.status, code),
      retryAfterMs: parseRetryAfter(answer.headers.get('retry-after')),
      requestId: answer.headers.get('request-id') ?? undefined,
    });
  }
}

/** The collection a Graph URL addresses (`/v1.0/users/delta` → `users`), never an id. */
function resourceOf(url: URL): string {
  return url.pathname.split('/').filter(Boolean)[1] ?? 'root';
}

function isAbsolute(pathOrUrl: string): boolean {
  return /^https?:\/\//i.test(pathOrUrl);
}
