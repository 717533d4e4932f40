import { createHash, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SignJWT, exportJWK, generateKeyPair, type JWK, type JWTPayload, type CryptoKey } from 'jose';

interface SigningKey {
  kid: string;
  privateKey: CryptoKey;
  jwk: JWK;
}

/** A public client (a single-page app): no secret, so PKCE is what binds a code to the app that asked for it. */
export interface PublicClient {
  clientId: string;
  redirectUris: string[];
}

interface IssuedCode {
  clientId: string;
  redirectUri: string;
  challenge: string;
  scope: string;
  claims: JWTPayload & Record<string, unknown>;
  expiresAt: number;
}

/** RFC 6749 §4.1.2: a code lives briefly; ten minutes at most is the RFC's recommendation. */
const CODE_LIFETIME_MS = 60_000;
/** RFC 7636 §4.1: 43 to 128 unreserved characters. */
const VERIFIER = /^[A-Za-z0-9\-._~]{43,128}$/;

/**
 * A local OpenID provider for tests: a real HTTP server answering the discovery document, the JWKS,
 * and the authorization-code flow with PKCE (S256 only) for registered public clients, as Entra ID or
 * Keycloak do for a single-page app, and a signer of tokens with its keys (or keys it does not
 * publish). Whoever `signedIn` names is signed in at once, without a login page. Counts what it was
 * asked, so a test can see that keys are cached.
 */
export class OidcIssuer {
  readonly requests = { discovery: 0, jwks: 0, authorize: 0, token: 0 };
  /** Status the discovery document answers with; anything but 200 answers no document. */
  discoveryStatus = 200;
  /** The claims of the access token the authorization endpoint's next sign-in yields (aud and roles, say). */
  signedIn: JWTPayload & Record<string, unknown> = {};
  readonly clients: PublicClient[] = [];
  private server: Server | undefined;
  private published: SigningKey[] = [];
  private readonly codes = new Map<string, IssuedCode>();
  issuer = '';

  static async start(): Promise<OidcIssuer> {
    const issuer = new OidcIssuer();
    await issuer.listen();
    issuer.published.push(await OidcIssuer.newKey('key-1'));
    return issuer;
  }

  /** A key pair with its public JWK; published only when passed to `publish`. */
  static async newKey(kid: string): Promise<SigningKey> {
    const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true });
    return { kid, privateKey, jwk: { ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' } };
  }

  get key(): SigningKey {
    return this.published[0]!;
  }

  /** A token signed with the issuer's key (or `key`); `claims` override the defaults (iss, sub, iat, exp in 10 minutes). */
  async token(claims: JWTPayload & Record<string, unknown>, key: SigningKey = this.key): Promise<string> {
    const now = Math.floor(Date.now() / 1000);
    return new SignJWT({ iss: this.issuer, sub: 'subject-1', iat: now, exp: now + 600, ...claims })
      .setProtectedHeader({ alg: 'RS256', kid: key.kid, typ: 'JWT' })
      .sign(key.privateKey);
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  private async listen(): Promise<void> {
    this.server = createServer((req, res) => {
      // A single-page app reads the discovery document and redeems its code from another origin.
      res.setHeader('access-control-allow-origin', '*');
      const url = new URL(req.url ?? '/', this.issuer);
      if (req.method === 'GET' && url.pathname === '/.well-known/openid-configuration') {
        this.requests.discovery++;
        if (this.discoveryStatus !== 200) return json(res, this.discoveryStatus, { error: 'unavailable' });
        return json(res, 200, {
          issuer: this.issuer,
          jwks_uri: `${this.issuer}/keys`,
          authorization_endpoint: `${this.issuer}/authorize`,
          token_endpoint: `${this.issuer}/token`,
          response_types_supported: ['code'],
          grant_types_supported: ['authorization_code'],
          code_challenge_methods_supported: ['S256'],
          id_token_signing_alg_values_supported: ['RS256'],
        });
      }
      if (req.method === 'GET' && url.pathname === '/keys') {
        this.requests.jwks++;
        return json(res, 200, { keys: this.published.map((k) => k.jwk) });
      }
      if (req.method === 'GET' && url.pathname === '/authorize') {
        this.requests.authorize++;
        return this.authorize(url.searchParams, res);
      }
      if (req.method === 'POST' && url.pathname === '/token') {
        this.requests.token++;
        return void this.redeem(req, res).catch((error: Error) => json(res, 500, { error: 'server_error', error_description: error.message }));
      }
      json(res, 404, { error: 'not found' });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.issuer = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** RFC 6749 §4.1.1 with RFC 7636 §4.3: an unknown client or redirect URI gets no redirect (§4.1.2.1), any other fault goes back to the app. */
  private authorize(query: URLSearchParams, res: ServerResponse): void {
    const clientId = query.get('client_id');
    const redirectUri = query.get('redirect_uri');
    const client = this.clients.find((c) => c.clientId === clientId);
    if (!client || !redirectUri || !client.redirectUris.includes(redirectUri)) {
      return void res.writeHead(400, { 'content-type': 'text/plain' }).end('unknown client_id or unregistered redirect_uri');
    }
    const back = (params: Record<string, string>) => {
      const target = new URL(redirectUri);
      for (const [k, v] of Object.entries({ ...params, ...(query.has('state') ? { state: query.get('state')! } : {}) })) target.searchParams.set(k, v);
      res.writeHead(302, { location: target.toString() }).end();
    };
    if (query.get('response_type') !== 'code') return back({ error: 'unsupported_response_type' });
    const challenge = query.get('code_challenge');
    if (!challenge || query.get('code_challenge_method') !== 'S256') return back({ error: 'invalid_request', error_description: 'PKCE with code_challenge_method S256 is required' });
    const scope = query.get('scope') ?? '';
    if (!scope.split(' ').includes('openid')) return back({ error: 'invalid_scope', error_description: 'the openid scope is required' });
    const code = randomBytes(24).toString('base64url');
    this.codes.set(code, { clientId: client.clientId, redirectUri, challenge, scope, claims: this.signedIn, expiresAt: Date.now() + CODE_LIFETIME_MS });
    back({ code });
  }

  /** RFC 6749 §4.1.3 and RFC 7636 §4.6: a code is redeemed once, by the client and redirect URI it was issued to, with the verifier of its challenge. */
  private async redeem(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (!(req.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded')) return json(res, 400, { error: 'invalid_request', error_description: 'form-encoded body required' });
    const form = new URLSearchParams(await readBody(req));
    if (form.get('grant_type') !== 'authorization_code') return json(res, 400, { error: 'unsupported_grant_type' });
    const code = form.get('code') ?? '';
    const issued = this.codes.get(code);
    this.codes.delete(code);
    const verifier = form.get('code_verifier') ?? '';
    const refusal =
      !issued || issued.expiresAt < Date.now()
        ? 'the code is unknown, used or expired'
        : issued.clientId !== form.get('client_id')
          ? 'the code was issued to another client'
          : issued.redirectUri !== form.get('redirect_uri')
            ? 'redirect_uri differs from the authorization request'
            : !VERIFIER.test(verifier) || createHash('sha256').update(verifier).digest('base64url') !== issued.challenge
              ? 'code_verifier does not match code_challenge'
              : null;
    if (refusal) return json(res, 400, { error: 'invalid_grant', error_description: refusal });
    const now = Math.floor(Date.now() / 1000);
    json(res, 200, {
      access_token: await this.token(issued!.claims),
      token_type: 'Bearer',
      expires_in: (issued!.claims.exp ?? now + 600) - now,
      scope: issued!.scope,
      id_token: await this.token({ sub: issued!.claims.sub ?? 'subject-1', aud: issued!.clientId }),
    });
  }
}

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' }).end(JSON.stringify(body));
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
