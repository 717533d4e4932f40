import { ForbiddenException, HttpException, HttpStatus, Inject, Injectable, Logger, UnauthorizedException } from '@nestjs/common';
import { CLOCK, type Clock, SERVICE_CONFIG } from '@roster/platform';
import type { AdminRole } from '@roster/contracts';
import { ApiKeysService } from '../api-keys/api-keys.service';
import type { AdminApiConfig } from '../config/admin-api.config';
import { BEARER_TOKEN_VERIFIER, type BearerTokenVerifier, type TokenVerdict } from './bearer-token-verifier';
import { hasRole, type Principal } from './principal';
import { SlidingWindowLimiter } from './sliding-window-limiter';

/** What authentication reads of a request: Express's, or Node's under a mounted router (Bull Board). */
export interface CredentialRequest {
  headers: Record<string, string | string[] | undefined>;
  ip?: string;
  socket: { remoteAddress?: string };
}

export interface HeaderSink {
  setHeader(name: string, value: string): unknown;
}

/**
 * Who a request comes from. Credentials come only in the Authorization header (`Bearer <API key or
 * OIDC token>`), never from a cookie, so a browser cannot be made to send them from another site
 * (no CSRF). Wrong credentials count against the client's address; an address over the limit is
 * refused, even with a good credential, until its oldest failure leaves the window.
 */
@Injectable()
export class Authenticator {
  private readonly logger = new Logger(Authenticator.name);
  private readonly failures: SlidingWindowLimiter;

  constructor(
    private readonly apiKeys: ApiKeysService,
    @Inject(BEARER_TOKEN_VERIFIER) private readonly tokens: BearerTokenVerifier,
    @Inject(SERVICE_CONFIG) config: AdminApiConfig,
    @Inject(CLOCK) clock: Clock,
  ) {
    this.failures = new SlidingWindowLimiter({ limit: config.AUTH_FAILURE_LIMIT, windowMs: config.AUTH_FAILURE_WINDOW_MS }, clock);
  }

  /** The caller, holding `role`; otherwise throws 429, 401 or 403 (with the headers they call for). */
  async authenticate(request: CredentialRequest, response: HeaderSink, role: AdminRole): Promise<Principal> {
    const address = request.ip ?? request.socket.remoteAddress ?? 'unknown';
    const retryAfterMs = this.failures.retryAfterMs(address);
    if (retryAfterMs > 0) {
      response.setHeader('Retry-After', String(Math.ceil(retryAfterMs / 1000)));
      throw new HttpException('too many failed authentications from this address; try again later', HttpStatus.TOO_MANY_REQUESTS);
    }
    const header = request.headers.authorization;
    const token = typeof header === 'string' ? /^Bearer +(\S+)$/i.exec(header)?.[1] : undefined;
    // RFC 6750: a 401 names the scheme it wants.
    const unauthorized = (message: string) => {
      response.setHeader('WWW-Authenticate', 'Bearer realm="roster-admin"');
      return new UnauthorizedException(message);
    };
    if (token === undefined) throw unauthorized('a credential is required: Authorization: Bearer <API key or OIDC token>');
    const verdict = await this.verify(token);
    if (verdict.kind === 'refused') {
      this.failures.record(address);
      this.logger.warn({ address, reason: verdict.reason }, 'authentication failed');
      throw unauthorized('the credential is not valid (unknown, revoked or expired)');
    }
    if (verdict.kind === 'no-role') {
      throw new ForbiddenException(`the token of ${verdict.subject} carries no role of this API (its roles claim names neither an admin nor a reader role)`);
    }
    const { principal } = verdict;
    if (!hasRole(principal, role)) {
      throw new ForbiddenException(`this route needs the ${role} role; ${principal.kind} ${principal.name} has ${principal.role}`);
    }
    return principal;
  }

  private async verify(token: string): Promise<TokenVerdict> {
    if (!this.apiKeys.isApiKey(token)) return this.tokens.verify(token);
    const principal = await this.apiKeys.authenticate(token);
    return principal ? { kind: 'accepted', principal } : { kind: 'refused', reason: 'unknown, revoked or forged API key' };
  }
}
