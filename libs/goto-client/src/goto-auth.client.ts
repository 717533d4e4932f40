import { z } from 'zod';
import { GotoApiError, unexpectedAnswer } from './goto-api-error';
import type { GotoCredentials, GotoEndpoints } from './goto-endpoints';
import type { GotoHttp, HttpRequest } from './goto-http';
import type { SecretRedactor } from './secret-redactor';

const tokenResponse = z.looseObject({
  access_token: z.string().min(1),
  // A number from /oauth/token, the string "3600" from the legacy direct login.
  expires_in: z.union([z.number(), z.string().regex(/^\d+$/).transform(Number)]),
});

/** The operation name of token requests, so a refused login can be told from a refused API call. */
export const AUTHENTICATE = 'authenticate';

/**
 * Refresh this long before expiry: 60 s, or half of a short lifetime. The token is taken after the
 * request's rate-limit slot, so the margin only has to cover the way from here to GoTo; half leaves
 * a short-lived token room for a loaded process, where a tenth did not.
 */
const refreshMarginMs = (lifetimeMs: number) => Math.min(60_000, lifetimeMs / 2);

/**
 * Obtains and caches the bearer token. Concurrent callers share one token request. Both credential
 * kinds simply log in again when the token is due: client_credentials issues no refresh token, and
 * the refresh grant needs a client secret that password credentials do not have.
 */
export class GotoTokenProvider {
  private cached: { token: string; refreshAt: number } | undefined;
  private pending: Promise<string> | undefined;

  constructor(
    private readonly http: GotoHttp,
    private readonly endpoints: GotoEndpoints,
    private readonly credentials: GotoCredentials,
    private readonly redactor: SecretRedactor,
    private readonly clock: () => number = Date.now,
  ) {
    redactor.add(credentials.kind === 'password' ? credentials.password : credentials.clientSecret);
  }

  token(): Promise<string> {
    if (this.cached && this.clock() < this.cached.refreshAt) return Promise.resolve(this.cached.token);
    this.pending ??= this.login().finally(() => {
      this.pending = undefined;
    });
    return this.pending;
  }

  /** Forgets `token` after GoTo refused it; a token obtained meanwhile by another caller is kept. */
  invalidate(token: string): void {
    if (this.cached?.token === token) this.cached = undefined;
  }

  private async login(): Promise<string> {
    const requestedAt = this.clock();
    let body: unknown;
    try {
      ({ body } = await this.http.send(this.loginRequest()));
    } catch (error) {
      // GoTo refusing the credentials (400 invalid_grant, 401 invalid_client) stops the whole job.
      throw error instanceof GotoApiError && error.kind === 'permanent' ? error.withKind('fatal') : error;
    }
    const parsed = tokenResponse.safeParse(body);
    if (!parsed.success) throw unexpectedAnswer(AUTHENTICATE, 'token response has no access_token/expires_in');
    const { access_token: token, expires_in: expiresIn } = parsed.data;
    this.redactor.add(token);
    const lifetimeMs = expiresIn * 1000;
    this.cached = { token, refreshAt: requestedAt + lifetimeMs - refreshMarginMs(lifetimeMs) };
    return token;
  }

  private loginRequest(): HttpRequest {
    const common = { api: 'auth', operation: AUTHENTICATE, method: 'POST' } as const;
    if (this.credentials.kind === 'oauth-client') {
      const { clientId, clientSecret } = this.credentials;
      return {
        ...common,
        url: `${this.endpoints.authUrl}/oauth/token`,
        headers: { authorization: `Basic ${Buffer.from(`${clientId}:${clientSecret}`).toString('base64')}` },
        body: new URLSearchParams({ grant_type: 'client_credentials' }),
      };
    }
    const { userId, password, clientId } = this.credentials;
    return {
      ...common,
      url: this.endpoints.directLoginUrl ?? `${this.endpoints.authUrl}/oauth/access_token`,
      body: new URLSearchParams({ grant_type: 'password', user_id: userId, password, client_id: clientId }),
    };
  }
}
