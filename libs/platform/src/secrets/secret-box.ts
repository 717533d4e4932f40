import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/** How an encrypted value starts: a version, so the format can change without guessing. */
export const SECRET_PREFIX = 'enc:v1:';
const IV_BYTES = 12;
const TAG_BYTES = 16;

/** A value that could not be decrypted: a wrong key, or a value cut or altered. */
export class SecretError extends Error {
  override readonly name = 'SecretError';
}

/**
 * AES-256-GCM under one installation key (ROSTER_SECRET_KEY, 32 random bytes in base64), so admin
 * passwords and client secrets are kept only as ciphertext (`enc:v1:…`) in deployment files and
 * databases. GCM authenticates: an altered value fails instead of decrypting to garbage.
 */
export class SecretBox {
  private readonly key: Buffer;

  constructor(base64Key: string) {
    const key = Buffer.from(base64Key, 'base64');
    if (key.length !== 32 || key.toString('base64').replace(/=+$/, '') !== base64Key.trim().replace(/=+$/, '')) {
      throw new SecretError('the key must be 32 bytes in base64 (e.g. `openssl rand -base64 32`)');
    }
    this.key = key;
  }

  static generateKey(): string {
    return randomBytes(32).toString('base64');
  }

  static isEncrypted(value: string): boolean {
    return value.startsWith(SECRET_PREFIX);
  }

  encrypt(plaintext: string): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return SECRET_PREFIX + Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64url');
  }

  decrypt(value: string): string {
    if (!SecretBox.isEncrypted(value)) throw new SecretError(`not an encrypted value (it must start with ${SECRET_PREFIX})`);
    const raw = Buffer.from(value.slice(SECRET_PREFIX.length), 'base64url');
    if (raw.length < IV_BYTES + TAG_BYTES) throw new SecretError('the encrypted value is cut short');
    const decipher = createDecipheriv('aes-256-gcm', this.key, raw.subarray(0, IV_BYTES));
    decipher.setAuthTag(raw.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
    try {
      return Buffer.concat([decipher.update(raw.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]).toString('utf8');
    } catch {
      throw new SecretError('the value does not decrypt with this key (another key, or the value was altered)');
    }
  }
}
