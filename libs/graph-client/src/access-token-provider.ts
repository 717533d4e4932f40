import { GraphApiError, noResponseError, parseJsonObject } from './graph-api-error';
import type { GraphCredentials, GraphHttpExchange } from './graph-client-options';

/** Client credentials always ask for Graph's static permissions, whatever host Graph is reached at. */
const GRAPH_SCOPE = 'https://graph.microsoft.com/.default';
/** Refresh this long before expiry (at most half the lifetime), so no request carries a dying token. */
const REFRESH_MARGIN_MS = 5 * 60_000;

interface CachedToken {
  value: string;
  refreshAt: number;
}

/**
 * Client-credentials tokens from the Microsoft identity platform, cached until shortly before
 * they expire. Concurrent callers share one token request. The secret goes into the form body
 * only; errors carry the AADSTS code and first description line, which never include it.
 */
export class AccessTokenProvider {
  private cached?: CachedToken;
  private pending?: Promise<CachedToken>;

  constructor(
    private readonly loginUrl: string,
    private readonly credentials: GraphCredentials,
    private readonly timeoutMs: number,
    private readonly now: () => number = Date.now,
    private readonly onExchange: (exchange: GraphHttpExchange) => void = () => undefined,
  ) {}

  async token(): Promise<string> {
    if (this.cached && this.now() < this.cached.refreshAt) return this.cached.value;
    this.pending ??= this.request().finally(() => (this.pending = undefined));
    this.cached = await this.pending;
    return this.cached.value;
  }

  /** Drops `token` after Graph rejected it; a newer token fetched meanwhile is kept. */
  invalidate(token: string): void {
    if (this.cached?.value === token) this.cached = undefined;
  }

  private async request(): Promise<CachedToken> {
    const { tenantId, clientId, clientSecret } = this.credentials;
    const url = `${this.loginUrl.replace(/\/+$/, '')}/${encodeURIComponent(tenantId)}/oauth2/v2.0/token`;
    const requestedAt = this.now();
    let response: Response | undefined;
    let text: string;
    const startedAt = Date.now();
    const started = performance.now();
    try {
      response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
        body: new URLSearchParams({
          client_id: clientId,
          client_secret: clientSecret,
          scope: GRAPH_SCOPE,
          grant_type: 'client_credentials',
        }),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      text = await response.text();
    } catch (cause) {
      throw noResponseError(`Token request for tenant ${tenantId}`, cause);
    } finally {
      this.onExchange({ api: 'login', operation: 'token', method: 'POST', status: response?.status ?? null, startedAt, durationMs: performance.now() - started });
    }
    const body = parseJsonObject(text);
    const accessToken = body.access_token;
    const expiresIn = Number(body.expires_in);
    if (response.ok && typeof accessToken === 'string' && expiresIn > 0) {
      const lifetimeMs = expiresIn * 1000;
      return { value: accessToken, refreshAt: requestedAt + lifetimeMs - Math.min(REFRESH_MARGIN_MS, lifetimeMs / 2) };
    }
    const code = typeof body.error === 'string' ? body.error : `http${response.status}`;
    const description = typeof body.error_description === 'string' ? body.error_description.split(/\r?\n/)[0] : '';
    throw new GraphApiError({
      message: `Token request for tenant ${tenantId} and client ${clientId} failed: ${response.status} ${code}${description ? `: ${description}` : ''}`,
      status: response.status,
      code,
      // Bad tenant, client id or secret will not fix themselves; outages and throttling will.
      kind: response.status === 429 || response.status >= 500 ? 'transient' : 'fatal',
      requestId: response.headers.get('x-ms-request-id') ?? undefined,
    });
  }
}
