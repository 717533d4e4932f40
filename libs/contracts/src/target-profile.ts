import { z } from 'zod';

/**
 * One user attribute the target accepts, by the SCIM path mappings use for it: `name.givenName`,
 * `urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department`,
 * `emails[type eq "work"].value`. Read from the target's `/Schemas` (RFC 7643 §7).
 */
export const targetAttributeSchema = z.strictObject({
  path: z.string().min(1).max(512),
  type: z.enum(['string', 'boolean', 'decimal', 'integer', 'dateTime', 'binary', 'reference', 'complex']),
  multiValued: z.boolean(),
  mutability: z.enum(['readOnly', 'readWrite', 'immutable', 'writeOnly']),
  required: z.boolean(),
});
export type TargetAttribute = z.infer<typeof targetAttributeSchema>;

/** A license of the target account (GoTo Admin API), with its seats when the target reports them. */
export const targetLicenseSchema = z.strictObject({
  key: z.string().min(1).max(256),
  description: z.string().max(1000).optional(),
  products: z.array(z.string().max(64)),
  seats: z.strictObject({ total: z.number().int().min(0), used: z.number().int().min(0) }).optional(),
});
export type TargetLicense = z.infer<typeof targetLicenseSchema>;

/**
 * What the connector last learnt about a job's target, at Test Connection and at start: written by
 * the connector (table `connector_target_profile`), read by the mapper to refuse mappings the
 * target cannot take.
 */
export const targetProfileSchema = z.strictObject({
  provisioningJobId: z.string().min(1).max(64),
  readAt: z.iso.datetime({ offset: true }),
  /** Null: the target offers no schema, so its documented attributes are all that is known. */
  userAttributes: z.array(targetAttributeSchema).nullable(),
  /** Null: not read, or the target has no API for them. */
  licenses: z.array(targetLicenseSchema).nullable(),
  /** What one SCIM bulk request may carry; null: the target offers no bulk; absent: not read (GOTO_BULK=off). */
  bulk: z.strictObject({ maxOperations: z.number().int().min(2), maxPayloadSize: z.number().int().min(1) }).nullable().optional(),
});
export type TargetProfile = z.infer<typeof targetProfileSchema>;
