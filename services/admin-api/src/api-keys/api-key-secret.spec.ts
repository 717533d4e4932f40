import { apiKeyId, apiKeyMatches, generateApiKey } from './api-key-secret';

describe('API key secrets', () => {
  it('makes a different key each time, found by its id and proven by its hash', () => {
    const a = generateApiKey();
    const b = generateApiKey();
    expect(a.key).not.toBe(b.key);
    expect(apiKeyId(a.key)).toBe(a.id);
    expect(apiKeyMatches(a.key, a.hash)).toBe(true);
    expect(a.hash).not.toContain(a.key.slice(20));
  });

  it('refuses a key whose secret differs, and anything not shaped like a key', () => {
    const a = generateApiKey();
    const forged = `${a.key.slice(0, -1)}${a.key.endsWith('A') ? 'B' : 'A'}`;
    expect(apiKeyId(forged)).toBe(a.id);
    expect(apiKeyMatches(forged, a.hash)).toBe(false);
    expect(apiKeyMatches(a.key, 'not hex')).toBe(false);
    expect(apiKeyId('eyJhbGciOiJSUzI1NiJ9.e30.sig')).toBeUndefined();
    expect(apiKeyId(`${a.key}x`)).toBeUndefined();
  });
});
