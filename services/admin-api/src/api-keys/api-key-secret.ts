import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * An API key reads `rk_<id>_<secret>`: the id finds the stored key, the 256-bit secret proves it.
 * Only the SHA-256 of the whole key is stored: with that much entropy a fast hash is enough (no
 * dictionary to guess from), and a stolen table gives nothing to present.
 */
const KEY_PATTERN = /^rk_([0-9a-f]{16})_([A-Za-z0-9_-]{43})$/;

export interface ApiKeySecret {
  id: string;
  key: string;
  hash: string;
}

export function generateApiKey(): ApiKeySecret {
  const id = randomBytes(8).toString('hex');
  const key = `rk_${id}_${randomBytes(32).toString('base64url')}`;
  return { id, key, hash: hashApiKey(key) };
}

export function hashApiKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

/** The id of something shaped like an API key, or undefined (it is then no API key at all). */
export function apiKeyId(presented: string): string | undefined {
  return KEY_PATTERN.exec(presented)?.[1];
}

/** Compares in constant time, so the answer's timing tells nothing about how much of the hash matched. */
export function apiKeyMatches(presented: string, storedHash: string): boolean {
  const a = Buffer.from(hashApiKey(presented), 'hex');
  const b = Buffer.from(storedHash, 'hex');
  return a.length === b.length && timingSafeEqual(a, b);
}
