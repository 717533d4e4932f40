import { SecretBox, SecretError } from './secret-box';

/** The variable holding the installation key that encrypted values (`enc:v1:…`) are decrypted with. */
export const SECRET_KEY_VARIABLE = 'ROSTER_SECRET_KEY';

/**
 * Decrypts every encrypted value of the environment, so a service is configured with ciphertext
 * only (ENTRA_CLIENT_SECRET=enc:v1:…) and the key is the one secret given in the clear. Plain values
 * pass through. Each value that cannot be decrypted is reported by name, never by content.
 */
export function decryptEnv(env: Record<string, string>): { env: Record<string, string>; problems: { variable: string; message: string }[] } {
  const encrypted = Object.keys(env).filter((name) => SecretBox.isEncrypted(env[name]));
  if (encrypted.length === 0) return { env, problems: [] };
  const key = env[SECRET_KEY_VARIABLE];
  if (key === undefined) {
    return { env, problems: encrypted.map((variable) => ({ variable, message: `is encrypted, but ${SECRET_KEY_VARIABLE} is not set` })) };
  }
  let box: SecretBox;
  try {
    box = new SecretBox(key);
  } catch (error) {
    return { env, problems: [{ variable: SECRET_KEY_VARIABLE, message: (error as SecretError).message }] };
  }
  const decrypted = { ...env };
  const problems: { variable: string; message: string }[] = [];
  for (const variable of encrypted) {
    try {
      decrypted[variable] = box.decrypt(env[variable]);
    } catch (error) {
      problems.push({ variable, message: (error as SecretError).message });
    }
  }
  return { env: decrypted, problems };
}
