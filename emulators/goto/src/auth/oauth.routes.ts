import type { AccountConfig } from '../emulator-options';
import { ApiError } from '../http/api-error';
import { mediaTypeOf } from '../http/http-io';
import type { Principal, Reply, RequestContext } from '../http/request-context';
import { RouteTable } from '../http/route-table';
import type { PrincipalRegistry } from './principal-registry';
import type { IssuedToken, TokenStore } from './token-store';

export interface OAuthDeps {
  principals: PrincipalRegistry;
  tokens: TokenStore;
  account: AccountConfig;
  clientCredentialsGrant: boolean;
}

/** Scopes a GoTo SCIM/Admin token carries (third-party code shows `identity:scim.org`). */
const SCOPE = 'identity:scim.org admin:org.read';

/** `POST /oauth/token` (current host) and the legacy direct login `/oauth/access_token`. */
export function oauthRoutes(deps: OAuthDeps): RouteTable {
  const directLogin = (ctx: RequestContext) => directLoginGrant(deps, formOf(ctx));
  return new RouteTable()
    .on('POST', '/oauth/token', (ctx) => tokenEndpoint(deps, ctx))
    // Old clients send the direct-login parameters in a GET query string; GoTo accepts both.
    .on('POST', '/oauth/access_token', directLogin)
    .on('GET', '/oauth/access_token', directLogin);
}

/** The OAuth client a token request speaks for, for rate limiting and the request log. */
export function oauthCallerOf(ctx: RequestContext): string | undefined {
  try {
    return basicCredentialsOf(ctx)?.clientId ?? formOf(ctx).get('client_id') ?? undefined;
  } catch {
    return undefined;
  }
}

function tokenEndpoint(deps: OAuthDeps, ctx: RequestContext): Reply {
  const form = formOf(ctx);
  const principal = authenticateClient(deps, ctx);
  const grantType = required(form, 'grant_type');
  if (grantType === 'client_credentials' && deps.clientCredentialsGrant) {
    return tokenReply(oauthTokenBody(deps.tokens.issue(principal, false), principal));
  }
  if (grantType === 'refresh_token') {
    const redeemed = deps.tokens.redeem(required(form, 'refresh_token'), principal.clientId);
    if (!redeemed) throw new ApiError(400, 'invalid_grant', 'refresh token is invalid, expired or issued to another client');
    return tokenReply(oauthTokenBody(redeemed.token, redeemed.principal));
  }
  throw new ApiError(400, 'unsupported_grant_type', `grant_type '${grantType}' is not supported by /oauth/token`);
}

function directLoginGrant(deps: OAuthDeps, form: URLSearchParams): Reply {
  const grantType = required(form, 'grant_type');
  if (grantType !== 'password') {
    throw new ApiError(400, 'unsupported_grant_type', `grant_type '${grantType}' is not supported by direct login`);
  }
  const [userId, password, clientId] = [required(form, 'user_id'), required(form, 'password'), required(form, 'client_id')];
  if (!deps.principals.hasClient(clientId)) throw new ApiError(401, 'invalid_client', 'unknown client_id');
  const principal = deps.principals.authenticateUser(userId, password, clientId);
  if (!principal) throw new ApiError(400, 'invalid_grant', 'user_id or password is wrong');
  const token = deps.tokens.issue(principal, true);
  return tokenReply({
    access_token: token.accessToken,
    // A string, unlike /oauth/token: that is how GoTo's direct-login example shows it.
    expires_in: String(token.expiresInSeconds),
    refresh_token: token.refreshToken,
    organizer_key: principal.key,
    account_key: deps.account.key,
    account_type: 'corporate',
    firstName: principal.user?.firstName ?? '',
    lastName: principal.user?.lastName ?? '',
    email: principal.id,
    platform: 'GLOBAL',
    version: '2',
  });
}

function oauthTokenBody(token: IssuedToken, principal: Principal): Record<string, unknown> {
  return {
    access_token: token.accessToken,
    token_type: 'Bearer',
    expires_in: token.expiresInSeconds,
    scope: SCOPE,
    principal: principal.id,
  };
}

function tokenReply(body: Record<string, unknown>): Reply {
  return { status: 200, body, headers: { 'cache-control': 'no-store', pragma: 'no-cache' } };
}

function authenticateClient(deps: OAuthDeps, ctx: RequestContext): Principal {
  const basic = basicCredentialsOf(ctx);
  const challenge = { 'www-authenticate': 'Basic realm="goto"' };
  if (!basic) throw new ApiError(401, 'invalid_client', 'client authentication (HTTP Basic) is required', challenge);
  const principal = deps.principals.authenticateClient(basic.clientId, basic.clientSecret);
  if (!principal) throw new ApiError(401, 'invalid_client', 'client authentication failed', challenge);
  return principal;
}

function basicCredentialsOf(ctx: RequestContext): { clientId: string; clientSecret: string } | undefined {
  const header = ctx.headers.authorization;
  if (!header?.startsWith('Basic ')) return undefined;
  const decoded = Buffer.from(header.slice('Basic '.length), 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) throw new ApiError(401, 'invalid_client', 'malformed HTTP Basic credentials');
  return { clientId: decoded.slice(0, colon), clientSecret: decoded.slice(colon + 1) };
}

function formOf(ctx: RequestContext): URLSearchParams {
  if (ctx.method === 'GET') return ctx.query;
  if (mediaTypeOf(ctx) !== 'application/x-www-form-urlencoded') {
    throw new ApiError(400, 'invalid_request', 'Content-Type must be application/x-www-form-urlencoded');
  }
  return new URLSearchParams(ctx.rawBody);
}

function required(form: URLSearchParams, name: string): string {
  const value = form.get(name);
  if (!value) throw new ApiError(400, 'invalid_request', `parameter '${name}' is required`);
  return value;
}
