import type { Principal } from './principal';

/** Injection token of the verifier of OIDC bearer tokens (JWTs from the configured issuer). */
export const BEARER_TOKEN_VERIFIER = Symbol('BEARER_TOKEN_VERIFIER');

/**
 * What a verifier made of a token: accepted with a role; genuine but carrying none of the roles
 * mapped to admin or reader (a 403, not a failed authentication); or refused, with the reason for
 * the log (never for the answer, which would tell a forger what to fix).
 */
export type TokenVerdict =
  | { kind: 'accepted'; principal: Principal }
  | { kind: 'no-role'; subject: string }
  | { kind: 'refused'; reason: string };

/**
 * Checks a bearer token that is not an API key. Throws (a 503) only when it cannot decide, such as
 * when the issuer cannot be reached: that is no failure of the caller's.
 */
export interface BearerTokenVerifier {
  verify(token: string): Promise<TokenVerdict>;
}

/** The verifier while no OIDC issuer is configured: every token is refused. */
export class NoOidcVerifier implements BearerTokenVerifier {
  async verify(): Promise<TokenVerdict> {
    return { kind: 'refused', reason: 'not an API key, and no OIDC issuer is configured (OIDC_ISSUER)' };
  }
}
