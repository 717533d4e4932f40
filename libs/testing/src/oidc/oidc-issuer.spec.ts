import { createHash } from 'node:crypto';
import { decodeJwt } from 'jose';
import { OidcIssuer } from './oidc-issuer';

const CLIENT = 'spa';
const REDIRECT = 'http://127.0.0.1:1/console/';
const VERIFIER = 'dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk';
const CHALLENGE = createHash('sha256').update(VERIFIER).digest('base64url');

describe('OidcIssuer: authorization code with PKCE', () => {
  let issuer: OidcIssuer;
  beforeAll(async () => {
    issuer = await OidcIssuer.start();
    issuer.clients.push({ clientId: CLIENT, redirectUris: [REDIRECT] });
    issuer.signedIn = { sub: 'ada', aud: 'api://roster', roles: ['Roster.Admin'] };
  });
  afterAll(() => issuer.close());

  /** The authorization endpoint's answer: its redirect's parameters, or its status when it redirects nowhere. */
  const authorize = async (overrides: Record<string, string | null> = {}) => {
    const query = { response_type: 'code', client_id: CLIENT, redirect_uri: REDIRECT, scope: 'openid', state: 's1', code_challenge: CHALLENGE, code_challenge_method: 'S256', ...overrides };
    const url = new URL(`${issuer.issuer}/authorize`);
    for (const [k, v] of Object.entries(query)) if (v !== null) url.searchParams.set(k, v);
    const res = await fetch(url, { redirect: 'manual' });
    if (res.status !== 302) return { status: res.status, params: null };
    const location = new URL(res.headers.get('location')!);
    expect(`${location.origin}${location.pathname}`).toBe(REDIRECT);
    return { status: 302, params: Object.fromEntries(location.searchParams) };
  };
  const redeem = async (code: string, overrides: Record<string, string> = {}) => {
    const form = { grant_type: 'authorization_code', code, redirect_uri: REDIRECT, client_id: CLIENT, code_verifier: VERIFIER, ...overrides };
    const res = await fetch(`${issuer.issuer}/token`, { method: 'POST', body: new URLSearchParams(form) });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };
  const code = async () => (await authorize()).params!.code!;

  it('issues a code for the state asked with, and redeems it once for a signed access token with the signed-in claims', async () => {
    const answer = await authorize();
    expect(answer.params).toEqual({ code: expect.any(String), state: 's1' });
    const token = await redeem(answer.params!.code!);
    expect(token).toMatchObject({ status: 200, body: { token_type: 'Bearer', expires_in: 600, scope: 'openid' } });
    expect(decodeJwt(token.body.access_token as string)).toMatchObject({ iss: issuer.issuer, sub: 'ada', aud: 'api://roster', roles: ['Roster.Admin'] });
    expect(await redeem(answer.params!.code!)).toMatchObject({ status: 400, body: { error: 'invalid_grant', error_description: 'the code is unknown, used or expired' } });
  });

  it('redirects nowhere for an unknown client or an unregistered redirect URI', async () => {
    expect((await authorize({ client_id: 'other' })).status).toBe(400);
    expect((await authorize({ redirect_uri: 'http://127.0.0.1:1/elsewhere/' })).status).toBe(400);
  });

  it('sends the app an error without PKCE S256, without openid, or for another response type', async () => {
    expect((await authorize({ code_challenge: null })).params).toMatchObject({ error: 'invalid_request', state: 's1' });
    expect((await authorize({ code_challenge_method: 'plain' })).params).toMatchObject({ error: 'invalid_request' });
    expect((await authorize({ scope: 'profile' })).params).toMatchObject({ error: 'invalid_scope' });
    expect((await authorize({ response_type: 'token' })).params).toMatchObject({ error: 'unsupported_response_type' });
  });

  it('refuses a code with the wrong verifier, client or redirect URI, and the code is spent by the attempt', async () => {
    for (const [overrides, why] of [
      [{ code_verifier: `${VERIFIER.slice(0, -1)}A` }, 'code_verifier does not match code_challenge'],
      [{ code_verifier: 'short' }, 'code_verifier does not match code_challenge'],
      [{ client_id: 'other' }, 'the code was issued to another client'],
      [{ redirect_uri: 'http://127.0.0.1:1/elsewhere/' }, 'redirect_uri differs from the authorization request'],
    ] as const) {
      const c = await code();
      expect(await redeem(c, overrides)).toEqual({ status: 400, body: { error: 'invalid_grant', error_description: why } });
      expect((await redeem(c)).status).toBe(400);
    }
    expect((await redeem(await code(), { grant_type: 'refresh_token' })).body).toEqual({ error: 'unsupported_grant_type' });
  });
});
