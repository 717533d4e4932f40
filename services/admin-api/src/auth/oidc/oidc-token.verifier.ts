import type { Clock } from '@roster/platform';
import { Logger, ServiceUnavailableException } from '@nestjs/common';
import { createRemoteJWKSet, decodeProtectedHeader, jwtVerify, type JWTVerifyGetKey } from 'jose';
import { z } from 'zod';
import type { BearerTokenVerifier, TokenVerdict } from '../bearer-token-verifier';
import { roleOf, subjectNameOf, type RoleMapping } from './oidc-claims';

export interface OidcSettings {
  issuer: string;
  audience: string[];
  roles: RoleMapping;
}

/** Signatures with a public key only: `none` is no signature, and an HMAC key would have to be shared with us. */
const ALGORITHMS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA'];

/** What a token's failure says about the token itself; any other failure (network, a broken JWKS) means we could not decide. */
const TOKEN_FAULTS = new Set([
  'ERR_JWT_EXPIRED',
  'ERR_JWT_CLAIM_VALIDATION_FAILED',
  'ERR_JWS_SIGNATURE_VERIFICATION_FAILED',
  'ERR_JWKS_NO_MATCHING_KEY',
  'ERR_JWKS_MULTIPLE_MATCHING_KEYS',
  'ERR_JOSE_ALG_NOT_ALLOWED',
  'ERR_JOSE_NOT_SUPPORTED',
  'ERR_JWS_INVALID',
  'ERR_JWT_INVALID',
]);

const discoverySchema = z.object({ issuer: z.string(), jwks_uri: z.url() });

/** A failed discovery is not retried before this, so junk tokens cannot make us hammer a failing issuer. */
const DISCOVERY_RETRY_MS = 30_000;
const FETCH_TIMEOUT_MS = 5_000;

/**
 * Verifies OIDC access tokens (JWTs) from one issuer: its discovery document names the JWKS, which
 * jose fetches and caches (refetched after 10 minutes, or at once, at most every 30 s, for a key id
 * it does not know: key rotation). Signature, issuer, audience and expiry are checked; the roles
 * claim decides admin or reader.
 */
export class OidcTokenVerifier implements BearerTokenVerifier {
  private readonly logger = new Logger(OidcTokenVerifier.name);
  private keys: { at: number; failed: boolean; keySet: Promise<JWTVerifyGetKey> } | undefined;

  constructor(
    private readonly settings: OidcSettings,
    private readonly now: Clock,
  ) {}

  async verify(token: string): Promise<TokenVerdict> {
    let alg: string | undefined;
    try {
      alg = decodeProtectedHeader(token).alg;
    } catch {
      return { kind: 'refused', reason: 'neither an API key nor a JWT' };
    }
    if (alg === undefined || !ALGORITHMS.includes(alg)) return { kind: 'refused', reason: `token algorithm ${String(alg)} is not accepted (only public-key signatures)` };
    const keySet = await this.keySet();
    try {
      const { payload } = await jwtVerify(token, keySet, {
        issuer: this.settings.issuer,
        audience: this.settings.audience,
        algorithms: ALGORITHMS,
        requiredClaims: ['exp', 'sub'],
        clockTolerance: 30,
        currentDate: new Date(this.now()),
      });
      const name = subjectNameOf(payload);
      const role = roleOf(payload, this.settings.roles);
      if (!role) return { kind: 'no-role', subject: name };
      return { kind: 'accepted', principal: { kind: 'oidc', id: String(payload.sub), name, role } };
    } catch (error) {
      const code = (error as { code?: string }).code;
      if (code !== undefined && TOKEN_FAULTS.has(code)) return { kind: 'refused', reason: `OIDC token refused: ${(error as Error).message}` };
      this.logger.error({ err: (error as Error).message, issuer: this.settings.issuer }, 'cannot verify OIDC tokens: the issuer’s keys are unavailable');
      throw new ServiceUnavailableException('cannot verify the token now: the OIDC issuer’s keys are unavailable; try again later');
    }
  }

  /** The issuer's key set, found through its discovery document once, and again after a failed attempt. */
  private async keySet(): Promise<JWTVerifyGetKey> {
    const now = this.now();
    if (!this.keys || (this.keys.failed && now - this.keys.at >= DISCOVERY_RETRY_MS)) {
      const attempt = { at: now, failed: false, keySet: this.discover() };
      attempt.keySet.catch(() => (attempt.failed = true));
      this.keys = attempt;
    }
    try {
      return await this.keys.keySet;
    } catch (error) {
      throw new ServiceUnavailableException(`cannot verify the token now: ${(error as Error).message}; try again later`);
    }
  }

  private async discover(): Promise<JWTVerifyGetKey> {
    // OpenID Connect Discovery 1.0 §4: the issuer without a trailing slash, then the well-known path.
    const url = `${this.settings.issuer.replace(/\/$/, '')}/.well-known/openid-configuration`;
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(FETCH_TIMEOUT_MS), redirect: 'error' });
      if (!res.ok) throw new Error(`answered ${res.status}`);
      const metadata = discoverySchema.parse(await res.json());
      // §4.3: the document must name the very issuer it was fetched for, or tokens could be minted elsewhere.
      if (metadata.issuer !== this.settings.issuer) throw new Error(`names issuer ${metadata.issuer}, not ${this.settings.issuer}`);
      this.logger.log({ issuer: metadata.issuer, jwksUri: metadata.jwks_uri }, 'OIDC issuer discovered');
      return createRemoteJWKSet(new URL(metadata.jwks_uri), { timeoutDuration: FETCH_TIMEOUT_MS });
    } catch (error) {
      const message = `the OIDC discovery document at ${url} ${error instanceof z.ZodError ? 'is not valid' : (error as Error).message}`;
      this.logger.error({ issuer: this.settings.issuer }, message);
      throw new Error(message);
    }
  }
}
