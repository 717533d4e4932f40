import { SECRET_PREFIX, SecretBox } from './secret-box';

describe('SecretBox', () => {
  const box = new SecretBox(SecretBox.generateKey());

  it('round-trips a secret, and encrypts the same secret differently each time', () => {
    const a = box.encrypt('p@ssw0rd – ünïcode');
    const b = box.encrypt('p@ssw0rd – ünïcode');
    expect(a.startsWith(SECRET_PREFIX)).toBe(true);
    expect(a).not.toBe(b);
    expect(a).not.toContain('p@ssw0rd');
    expect(box.decrypt(a)).toBe('p@ssw0rd – ünïcode');
  });

  it('refuses a value under another key, an altered value and a cut one, each with its reason', () => {
    const value = box.encrypt('secret');
    expect(() => new SecretBox(SecretBox.generateKey()).decrypt(value)).toThrow('does not decrypt with this key');
    const altered = value.slice(0, -2) + (value.endsWith('A') ? 'BB' : 'AA');
    expect(() => box.decrypt(altered)).toThrow('does not decrypt with this key');
    expect(() => box.decrypt(`${SECRET_PREFIX}abc`)).toThrow('cut short');
    expect(() => box.decrypt('secret')).toThrow('must start with enc:v1:');
  });

  it('refuses a key that is not 32 bytes of base64', () => {
    expect(() => new SecretBox('c2hvcnQ=')).toThrow('32 bytes');
    expect(() => new SecretBox('not base64 at all, not even close!!!!!!!!!!!')).toThrow('32 bytes');
  });
});
