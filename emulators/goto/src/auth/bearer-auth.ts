import { ApiError } from '../http/api-error';
import type { Handler, Principal, RequestContext } from '../http/request-context';
import type { TokenStore } from './token-store';

/** Status codes for "who are you?" and "you may not"; the Citrix SCIM spec swaps them. */
export interface AuthStatuses {
  badToken: number;
  insufficientRole: number;
}

export const STANDARD_AUTH_STATUSES: AuthStatuses = { badToken: 401, insufficientRole: 403 };
export const CITRIX_AUTH_STATUSES: AuthStatuses = { badToken: 403, insufficientRole: 401 };

function bearerTokenOf(ctx: RequestContext): string | undefined {
  const header = ctx.headers.authorization;
  return header?.startsWith('Bearer ') ? header.slice('Bearer '.length).trim() : undefined;
}

export function principalOfBearer(tokens: TokenStore, ctx: RequestContext): Principal | undefined {
  const token = bearerTokenOf(ctx);
  return token ? tokens.principalOf(token) : undefined;
}

export function unauthenticated(ctx: RequestContext, statuses: AuthStatuses): ApiError {
  const detail = bearerTokenOf(ctx) ? 'access token is invalid or expired' : 'a Bearer access token is required';
  const challenge = statuses.badToken === 401 ? { 'www-authenticate': 'Bearer error="invalid_token"' } : undefined;
  return new ApiError(statuses.badToken, undefined, detail, challenge);
}

/** Wraps a user-management handler: only Team Admin (SUPER_USER) principals get through. */
export function adminOnly(statuses: AuthStatuses, handler: Handler): Handler {
  return (ctx) => {
    if (!ctx.principal?.isAdmin) {
      throw new ApiError(statuses.insufficientRole, undefined, 'insufficient role: user management needs a Team Admin (SUPER_USER)');
    }
    return handler(ctx);
  };
}

/** Wraps a SCIM read: admins and principals with ROLE_ORG_READ get through (the Citrix spec's read role). */
export function orgReadOnly(statuses: AuthStatuses, handler: Handler): Handler {
  return (ctx) => {
    if (!ctx.principal?.orgRead) throw new ApiError(statuses.insufficientRole, undefined, 'insufficient role: reading the organisation needs ROLE_ORG_READ');
    return handler(ctx);
  };
}
