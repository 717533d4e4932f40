import { randomBytes, randomUUID } from 'node:crypto';
import { unauthenticated } from './graph-errors';

export interface ClientApplication {
  clientId: string;
  clientSecret: string;
}

export interface TokenServiceOptions {
  tenantId: string;
  tenantDomain: string;
  clients: readonly ClientApplication[];
  ttlSeconds: number;
  now: () => number;
}

export interface TokenEndpointResponse {
  status: number;
  body: Record<string, unknown>;
}

export interface IssuedToken {
  accessToken: string;
  expiresIn: number;
}

const GRAPH_RESOURCES = ['https://graph.microsoft.com', '00000003-0000-0000-c000-000000000000'];

/**
 * The Microsoft identity platform's client-credentials grant, with the AADSTS error bodies the
 * real endpoint returns, and validation of the bearer tokens it hands out.
 */
export class TokenService {
  private readonly tokens = new Map<string, { clientId: string; expiresAt: number }>();

  constructor(private readonly options: TokenServiceOptions) {}

  /** Answers `POST /{tenant}/oauth2/v2.0/token`. */
  issue(tenant: string, form: URLSearchParams, authorization: string | undefined): TokenEndpointResponse {
    const { tenantId, tenantDomain, clients } = this.options;
    if (![tenantId, tenantDomain].some((known) => known.toLowerCase() === tenant.toLowerCase())) {
      return this.error(400, 'invalid_request', 90002, `Tenant '${tenant}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud.`);
    }
    const basic = parseBasicAuth(authorization);
    const fields = {
      grant_type: form.get('grant_type'),
      client_id: form.get('client_id') ?? basic?.clientId ?? null,
      client_secret: form.get('client_secret') ?? basic?.clientSecret ?? null,
      scope: form.get('scope'),
    };
    for (const [name, value] of Object.entries(fields)) {
      if (!value) return this.error(400, 'invalid_request', 900144, `The request body must contain the following parameter: '${name}'.`);
    }
    const { grant_type, client_id, client_secret, scope } = fields as Record<keyof typeof fields, string>;
    if (grant_type !== 'client_credentials') {
      return this.error(400, 'unsupported_grant_type', 70003, `The app requested an unsupported grant type '${grant_type}'.`);
    }
    const client = clients.find((c) => c.clientId === client_id);
    if (!client) {
      return this.error(400, 'unauthorized_client', 700016, `Application with identifier '${client_id}' was not found in the directory '${tenant}'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant.`);
    }
    if (client.clientSecret !== client_secret) {
      return this.error(401, 'invalid_client', 7000215, `Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '${client_id}'.`);
    }
    const scopes = scope.trim().split(/\s+/);
    if (scopes.length !== 1 || !scopes[0].endsWith('/.default')) {
      return this.error(400, 'invalid_scope', 1002012, `The provided value for scope ${scope} is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI).`);
    }
    const resource = scopes[0].slice(0, -'/.default'.length).replace(/\/$/, '');
    if (!GRAPH_RESOURCES.includes(resource)) {
      return this.error(400, 'invalid_resource', 500011, `The resource principal named ${resource} was not found in the tenant named ${tenant}.`);
    }
    const { accessToken, expiresIn } = this.mint(client.clientId);
    return {
      status: 200,
      body: { token_type: 'Bearer', expires_in: expiresIn, ext_expires_in: expiresIn, access_token: accessToken },
    };
  }

  /** Issues a token directly, for in-process tests that do not need the HTTP grant. */
  mint(clientId: string): IssuedToken {
    const now = this.options.now();
    this.forgetExpired(now);
    const claims = { aud: 'https://graph.microsoft.com', tid: this.options.tenantId, appid: clientId, jti: randomUUID() };
    const accessToken = [
      Buffer.from(JSON.stringify({ typ: 'JWT', alg: 'none' })).toString('base64url'),
      Buffer.from(JSON.stringify(claims)).toString('base64url'),
      randomBytes(32).toString('base64url'),
    ].join('.');
    this.tokens.set(accessToken, { clientId, expiresAt: now + this.options.ttlSeconds * 1000 });
    return { accessToken, expiresIn: this.options.ttlSeconds };
  }

  /** The calling application's client id; throws Graph's 401 for a missing, unknown or expired token. */
  authenticate(authorization: string | undefined): string {
    const token = /^Bearer\s+(\S+)$/i.exec(authorization ?? '')?.[1];
    if (!token) throw unauthenticated('Access token is empty.');
    const issued = this.tokens.get(token);
    if (!issued) {
      throw unauthenticated(
        token.split('.').length === 3
          ? 'Access token validation failure. Invalid audience.'
          : 'CompactToken parsing failed with error code: 80049217',
      );
    }
    if (this.options.now() >= issued.expiresAt) throw unauthenticated('Access token has expired or is not yet valid.');
    return issued.clientId;
  }

  /** Invalidates every issued token, as a secret rotation or tenant-side revocation would. */
  revokeAll(): void {
    this.tokens.clear();
  }

  private forgetExpired(now: number): void {
    if (this.tokens.size < 10_000) return;
    for (const [token, { expiresAt }] of this.tokens) if (expiresAt <= now) this.tokens.delete(token);
  }

  private error(status: number, error: string, code: number, description: string): TokenEndpointResponse {
    const timestamp = `${new Date(this.options.now()).toISOString().slice(0, 19).replace('T', ' ')}Z`;
    const traceId = randomUUID();
    const correlationId = randomUUID();
    return {
      status,
      body: {
        error,
        error_description: `AADSTS${code}: ${description}\r\nTrace ID: ${traceId}\r\nCorrelation ID: ${correlationId}\r\nTimestamp: ${timestamp}`,
        error_codes: [code],
        timestamp,
        trace_id: traceId,
        correlation_id: correlationId,
      },
    };
  }
}

/** RFC 6749 §2.3.1: client id and secret are form-urlencoded before base64. */
function parseBasicAuth(header: string | undefined): { clientId: string; clientSecret: string } | undefined {
  const encoded = /^Basic\s+(\S+)$/i.exec(header ?? '')?.[1];
  if (!encoded) return undefined;
  const decoded = Buffer.from(encoded, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return undefined;
  const unescape = (part: string) => decodeURIComponent(part.replace(/\+/g, ' '));
  try {
    return { clientId: unescape(decoded.slice(0, colon)), clientSecret: unescape(decoded.slice(colon + 1)) };
  } catch {
    return undefined;
  }
}
