import { randomUUID } from 'node:crypto';
import { z } from 'zod';

export type DecodedToken<T> =
  | { status: 'valid'; payload: T }
  /** Issued by this emulator before an expiry was forced, or older than the token lifetime. */
  | { status: 'expired' }
  /** Garbage, tampered, or issued by another emulator instance (e.g. before a reset). */
  | { status: 'unknown' };

const envelopeSchema = z.object({ v: z.string(), e: z.number(), t: z.number(), d: z.unknown() });

/**
 * Skip and delta tokens: base64url JSON that carries the paging state, so the server keeps no
 * per-client cursor. Clients must treat them as opaque, which they are in Graph.
 */
export class OpaqueTokens {
  private instance = randomUUID();
  private epoch = 0;

  constructor(
    private readonly now: () => number,
    private readonly lifetimeMs: number,
  ) {}

  encode(payload: unknown): string {
    const envelope = { v: this.instance, e: this.epoch, t: this.now(), d: payload };
    return Buffer.from(JSON.stringify(envelope)).toString('base64url');
  }

  decode<T>(token: string, schema: z.ZodType<T>): DecodedToken<T> {
    let envelope: z.infer<typeof envelopeSchema>;
    try {
      envelope = envelopeSchema.parse(JSON.parse(Buffer.from(token, 'base64url').toString('utf8')));
    } catch {
      return { status: 'unknown' };
    }
    const payload = schema.safeParse(envelope.d);
    if (envelope.v !== this.instance || !payload.success) return { status: 'unknown' };
    if (envelope.e !== this.epoch || this.now() - envelope.t > this.lifetimeMs) return { status: 'expired' };
    return { status: 'valid', payload: payload.data };
  }

  /** Every token issued so far becomes expired. */
  expireAll(): void {
    this.epoch++;
  }

  /** Every token issued so far becomes unknown, as after a directory reset. */
  forgetAll(): void {
    this.instance = randomUUID();
    this.epoch = 0;
  }
}
