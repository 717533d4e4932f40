import { codeChallenge, randomText } from './oidc';

describe('PKCE', () => {
  it('derives the S256 challenge of RFC 7636’s own example', async () => {
    expect(await codeChallenge('dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk')).toBe('E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM');
  });

  it('makes verifiers of 43 unreserved characters, each new', () => {
    const verifiers = new Set(Array.from({ length: 20 }, () => randomText()));
    expect(verifiers.size).toBe(20);
    for (const v of verifiers) expect(v).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });
});
