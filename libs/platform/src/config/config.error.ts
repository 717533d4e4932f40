/** A missing or malformed environment variable; the message names each one, so start-up says what to fix. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  constructor(
    readonly service: string,
    readonly problems: { variable: string; message: string }[],
  ) {
    super(
      `${service}: invalid configuration: ` + problems.map((p) => `${p.variable}: ${p.message}`).join('; '),
    );
  }
}
