import type { SignInOptions } from '@roster/contracts';

export type OidcOptions = NonNullable<SignInOptions['oidc']>;

/** What the tab remembers across the trip to the issuer: the PKCE verifier never leaves it. */
interface PendingSignIn {
  state: string;
  verifier: string;
  clientId: string;
  redirectUri: string;
  tokenEndpoint: string;
  returnTo: string;
}

const PENDING_KEY = 'roster.oidc-pending';

const base64url = (bytes: Uint8Array): string => btoa(String.fromCharCode(...bytes)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');

/** RFC 7636 §4.1: 32 random bytes make a 43-character verifier. */
export const randomText = (bytes = 32): string => base64url(crypto.getRandomValues(new Uint8Array(bytes)));

/** RFC 7636 §4.2, S256: BASE64URL(SHA256(verifier)). */
export async function codeChallenge(verifier: string): Promise<string> {
  return base64url(new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier))));
}

/**
 * The issuer's endpoints from its discovery document, which must name the very issuer asked for.
 * The page may call only the issuer's origin (the admin API's CSP), so a token endpoint elsewhere is refused in words.
 */
async function discover(issuer: string): Promise<{ authorizationEndpoint: string; tokenEndpoint: string }> {
  const res = await fetch(`${issuer.replace(/\/$/, '')}/.well-known/openid-configuration`);
  if (!res.ok) throw new Error(`The sign-in service’s discovery document answered ${res.status}.`);
  const doc = (await res.json()) as { issuer?: unknown; authorization_endpoint?: unknown; token_endpoint?: unknown };
  if (doc.issuer !== issuer || typeof doc.authorization_endpoint !== 'string' || typeof doc.token_endpoint !== 'string') {
    throw new Error(`The sign-in service’s discovery document does not describe ${issuer}.`);
  }
  if (new URL(doc.token_endpoint).origin !== new URL(issuer).origin) throw new Error(`The token endpoint ${doc.token_endpoint} is not on the issuer’s origin.`);
  return { authorizationEndpoint: doc.authorization_endpoint, tokenEndpoint: doc.token_endpoint };
}

/** Sends the browser to the issuer (authorization code with PKCE), to come back to `redirectUri` as registered there. */
export async function beginOidcSignIn(options: OidcOptions, redirectUri: string, returnTo: string): Promise<void> {
  const { authorizationEndpoint, tokenEndpoint } = await discover(options.issuer);
  const pending: PendingSignIn = { state: randomText(16), verifier: randomText(), clientId: options.clientId, redirectUri, tokenEndpoint, returnTo };
  window.sessionStorage.setItem(PENDING_KEY, JSON.stringify(pending));
  const url = new URL(authorizationEndpoint);
  const params = {
    response_type: 'code',
    client_id: pending.clientId,
    redirect_uri: pending.redirectUri,
    scope: options.scope,
    state: pending.state,
    code_challenge: await codeChallenge(pending.verifier),
    code_challenge_method: 'S256',
  };
  for (const [name, value] of Object.entries(params)) url.searchParams.set(name, value);
  window.location.assign(url.toString());
}

/**
 * The issuer's answer this page was loaded with, redeemed for an access token; null when the page is
 * no such answer. The code and state leave the address bar and the history before anything is awaited,
 * so a second call (a sign-in page shown again later) finds no answer.
 */
export async function finishOidcSignIn(): Promise<{ token: string; returnTo: string } | null> {
  const answer = new URLSearchParams(window.location.search);
  if (!answer.has('state')) return null;
  const stored = window.sessionStorage.getItem(PENDING_KEY);
  window.sessionStorage.removeItem(PENDING_KEY);
  window.history.replaceState(null, '', window.location.pathname);
  const pending = stored ? (JSON.parse(stored) as PendingSignIn) : null;
  // RFC 6749 §10.12: an answer to a request this tab did not make is dropped.
  if (!pending || pending.state !== answer.get('state')) throw new Error('That sign-in answer was not asked for by this tab: sign in again.');
  if (answer.has('error')) throw new Error(`The sign-in service refused: ${answer.get('error_description') ?? answer.get('error')}.`);
  const res = await fetch(pending.tokenEndpoint, {
    method: 'POST',
    body: new URLSearchParams({ grant_type: 'authorization_code', code: answer.get('code') ?? '', redirect_uri: pending.redirectUri, client_id: pending.clientId, code_verifier: pending.verifier }),
  });
  const body = (await res.json().catch(() => ({}))) as { access_token?: unknown; error?: string; error_description?: string };
  if (!res.ok || typeof body.access_token !== 'string') throw new Error(`The sign-in service issued no token: ${body.error_description ?? body.error ?? `it answered ${res.status}`}.`);
  return { token: body.access_token, returnTo: pending.returnTo };
}
