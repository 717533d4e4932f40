import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SignJWT, exportJWK, generateKeyPair, type JWK, type JWTPayload, type CryptoKey } from 'jose';

interface SigningKey {
  kid: string;
  privateKey: CryptoKey;
  jwk: JWK;
}

/**
 * A local OpenID provider for tests: a real HTTP server answering the discovery document and the
 * JWKS, as Entra ID or Keycloak do, and a signer of tokens with its keys (or keys it does not
 * publish). Counts what it was asked, so a test can see that keys are cached.
 */
export class OidcIssuer {
  readonly requests = { discovery: 0, jwks: 0 };
  /** Status the discovery document answers with; anything but 200 answers no document. */
  discoveryStatus = 200;
  private server: Server | undefined;
  private published: SigningKey[] = [];
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
      const json = (status: number, body: unknown) => res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
      if (req.url === '/.well-known/openid-configuration') {
        this.requests.discovery++;
        if (this.discoveryStatus !== 200) return json(this.discoveryStatus, { error: 'unavailable' });
        return json(200, { issuer: this.issuer, jwks_uri: `${this.issuer}/keys`, id_token_signing_alg_values_supported: ['RS256'] });
      }
      if (req.url === '/keys') {
        this.requests.jwks++;
        return json(200, { keys: this.published.map((k) => k.jwk) });
      }
      json(404, { error: 'not found' });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.issuer = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }
}
