import { Injectable } from '@nestjs/common';
import type { Principal } from './principal';

/** Injection token of the verifier of OIDC bearer tokens (JWTs from the configured issuer). */
export const BEARER_TOKEN_VERIFIER = Symbol('BEARER_TOKEN_VERIFIER');

/**
 * Checks a bearer token that is not an API key: its signature against the issuer's JWKS, issuer,
 * audience, expiry, and maps its roles claim to an admin role. Answers undefined for a token it
 * does not accept, with the reason for the log.
 */
export interface BearerTokenVerifier {
  verify(token: string): Promise<{ principal?: Principal; reason: string }>;
}

/**
 * The verifier while no OIDC issuer is configured: every token is refused. The JWKS verifier
 * (with `jose`) takes its place behind the same interface.
 */
@Injectable()
export class NoOidcVerifier implements BearerTokenVerifier {
  async verify(): Promise<{ principal?: Principal; reason: string }> {
    return { reason: 'not an API key, and no OIDC issuer is configured' };
  }
}
