import { ForbiddenException, HttpException, HttpStatus, Inject, Injectable, Logger, UnauthorizedException, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ROUTE_ACCESS, SERVICE_CONFIG, type RouteAccess } from '@roster/platform';
import type { AdminRole } from '@roster/contracts';
import { ApiKeysService } from '../api-keys/api-keys.service';
import type { AdminApiConfig } from '../config/admin-api.config';
import { BEARER_TOKEN_VERIFIER, type BearerTokenVerifier } from './bearer-token-verifier';
import { FailureLimiter } from './failure-limiter';
import { hasRole, type Principal } from './principal';

/** What the guard reads of Express's request (its types are not installed). */
interface GuardedRequest {
  headers: Record<string, string | string[] | undefined>;
  ip?: string;
  socket: { remoteAddress?: string };
  principal?: Principal;
}

/** The role a route needs: `admin` unless it says otherwise (see ROUTE_ACCESS). */
export function requiredRole(access: RouteAccess | undefined): AdminRole | 'public' {
  return access === 'public' ? 'public' : access === 'reader' ? 'reader' : 'admin';
}

/**
 * Every route of the admin API passes here. Credentials come only in the Authorization header
 * (`Bearer <API key or OIDC token>`), never from a cookie, so a browser cannot be made to send them
 * from another site (no CSRF). Wrong credentials count against the client's address.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  private readonly logger = new Logger(AuthGuard.name);
  private readonly failures: FailureLimiter;

  constructor(
    private readonly reflector: Reflector,
    private readonly apiKeys: ApiKeysService,
    @Inject(BEARER_TOKEN_VERIFIER) private readonly tokens: BearerTokenVerifier,
    @Inject(SERVICE_CONFIG) config: AdminApiConfig,
  ) {
    this.failures = new FailureLimiter({ limit: config.AUTH_FAILURE_LIMIT, windowMs: config.AUTH_FAILURE_WINDOW_MS });
  }

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const role = requiredRole(this.reflector.getAllAndOverride<RouteAccess>(ROUTE_ACCESS, [context.getHandler(), context.getClass()]));
    if (role === 'public') return true;
    const request = context.switchToHttp().getRequest<GuardedRequest>();
    const response = context.switchToHttp().getResponse<{ setHeader(name: string, value: string): void }>();
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
    const { principal, reason } = this.apiKeys.isApiKey(token)
      ? { principal: await this.apiKeys.authenticate(token), reason: 'unknown, revoked or forged API key' }
      : await this.tokens.verify(token);
    if (!principal) {
      this.failures.recordFailure(address);
      this.logger.warn({ address, reason }, 'authentication failed');
      throw unauthorized('the credential is not valid (unknown, revoked or expired)');
    }
    if (!hasRole(principal, role)) {
      throw new ForbiddenException(`this route needs the ${role} role; ${principal.kind} ${principal.name} has ${principal.role}`);
    }
    request.principal = principal;
    return true;
  }
}
