import { z } from 'zod';
import { MAX_BIGINT } from './storable';

/**
 * The part every queue message shares. `idempotencyKey` is also the BullMQ job id, so a message
 * produced twice (a crash between emit and checkpoint) is stored once.
 */
export const messageEnvelopeShape = {
  version: z.literal(1),
  idempotencyKey: z.string().min(1).max(256),
  correlationId: z.string().min(1).max(256),
  provisioningJobId: z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'lower-case letters, digits and dashes'),
  occurredAt: z.iso.datetime({ offset: true }),
};

/**
 * The directory's own change order for one object. Compared as an unsigned integer so that later
 * services can drop stale or replayed messages; a decimal string keeps 64-bit values exact. Stored
 * in bigint columns, so it ends at bigint's maximum.
 */
export const changeOrderSchema = z
  .string()
  .regex(/^\d{1,20}$/, 'a decimal change order')
  .refine((order) => BigInt(order) <= MAX_BIGINT, `a change order of at most ${MAX_BIGINT} (PostgreSQL bigint)`);

export function compareChangeOrder(a: string, b: string): number {
  const x = BigInt(a);
  const y = BigInt(b);
  return x === y ? 0 : x < y ? -1 : 1;
}

/** Directory and target attribute values: what Graph, LDAP and SCIM can carry. */
export const attributeValueSchema = z.union([
  z.string(),
  z.number(),
  z.boolean(),
  z.null(),
  // Complex multi-values, e.g. SCIM roles [{ primary, type, value }] from AppRoleAssignmentsComplex.
  z.array(z.union([z.string(), z.number(), z.boolean(), z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()]))])),
]);
export type AttributeValue = z.infer<typeof attributeValueSchema>;

export const attributesSchema = z.record(z.string().min(1).max(256), attributeValueSchema);
export type Attributes = z.infer<typeof attributesSchema>;
