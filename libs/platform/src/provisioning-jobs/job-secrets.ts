import { PROVISIONING_JOB_SECRET_FIELDS, type ProvisioningJobSecretField, type ProvisioningJobSettings } from '@roster/contracts';

/** What an admin's write says of each credential: a new value, null (remove it) or nothing (keep it). */
export type SecretChanges = Partial<Record<ProvisioningJobSecretField, string | null>>;

/** The object holding a credential's field in a job's settings, and the field's key in it. */
function locate(settings: Record<string, unknown>, field: ProvisioningJobSecretField): { parent: Record<string, unknown> | undefined; key: string } {
  const path = field.split('.');
  const parent = path.slice(0, -1).reduce<Record<string, unknown> | undefined>((o, k) => o?.[k] as Record<string, unknown> | undefined, settings);
  return { parent, key: path[path.length - 1]! };
}

/**
 * Takes the credentials out of a job's settings, so what is left can be stored and shown as is and
 * the credentials go, encrypted, to their own column.
 */
export function splitSecrets(settings: ProvisioningJobSettings): { settings: ProvisioningJobSettings; secrets: SecretChanges } {
  const copy = structuredClone(settings) as unknown as Record<string, unknown>;
  const secrets: SecretChanges = {};
  for (const field of PROVISIONING_JOB_SECRET_FIELDS) {
    const { parent, key } = locate(copy, field);
    if (parent && key in parent) {
      if (parent[key] !== undefined) secrets[field] = parent[key] as string | null;
      delete parent[key];
    }
  }
  return { settings: copy as unknown as ProvisioningJobSettings, secrets };
}

/** The stored credentials after a write: changed ones replaced or removed, the others kept. */
export function mergeSecrets(
  stored: Partial<Record<ProvisioningJobSecretField, string>>,
  changes: SecretChanges,
  encrypt: (plaintext: string) => string,
): Partial<Record<ProvisioningJobSecretField, string>> {
  const merged = { ...stored };
  for (const [field, value] of Object.entries(changes) as [ProvisioningJobSecretField, string | null][]) {
    if (value === null) delete merged[field];
    else merged[field] = encrypt(value);
  }
  return merged;
}

/**
 * The settings a pipeline service runs a job with: the stored settings with each credential
 * decrypted back in its place. Only services that call GoTo or the directory need this; the result
 * never leaves the process (no queue payload, log line or answer carries it).
 */
export function revealSecrets(
  settings: ProvisioningJobSettings,
  stored: Partial<Record<ProvisioningJobSecretField, string>>,
  decrypt: (ciphertext: string) => string,
): ProvisioningJobSettings {
  const copy = structuredClone(settings) as unknown as Record<string, unknown>;
  for (const [field, ciphertext] of Object.entries(stored) as [ProvisioningJobSecretField, string][]) {
    const { parent, key } = locate(copy, field);
    if (parent) parent[key] = decrypt(ciphertext);
  }
  return copy as unknown as ProvisioningJobSettings;
}
