const REDACTED = '[redacted]';

/** Scrubs known secrets (password, client secret, issued tokens) from anything put on an error. */
export class SecretRedactor {
  private readonly secrets = new Set<string>();

  add(secret: string): void {
    // Very short strings would redact ordinary words; no real secret is that short.
    if (secret.length >= 4) this.secrets.add(secret);
  }

  redact<T>(value: T): T {
    if (typeof value === 'string') return this.redactText(value) as T;
    if (Array.isArray(value)) return value.map((item: unknown) => this.redact(item)) as T;
    if (typeof value === 'object' && value !== null) {
      return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, this.redact(item)])) as T;
    }
    return value;
  }

  private redactText(text: string): string {
    let result = text;
    for (const secret of this.secrets) result = result.split(secret).join(REDACTED);
    return result;
  }
}
