import { z } from 'zod';

/**
 * A provisioning job's mapping configuration as admins write it (JSON or YAML, or the admin API):
 * Entra's attribute-mapping model plus scoping filters and deprovisioning policy. This schema checks
 * the shape; `validateMappingConfig` in @roster/mapping checks the meaning (expressions, matching).
 */
export const attributeMappingSchema = z.strictObject({
  target: z.string().min(1).max(256),
  type: z.enum(['Direct', 'Constant', 'Expression', 'None']),
  source: z.string().min(1).max(256).optional(),
  constant: z.string().max(10_000).optional(),
  expression: z.string().min(1).optional(),
  /** Used on create only, when the mapped value is null (as in Entra). */
  defaultValue: z.string().max(10_000).nullable().optional(),
  apply: z.enum(['Always', 'OnlyOnCreate']).default('Always'),
  /** Marks a matching attribute; 1 is tried first. */
  matchingPrecedence: z.number().int().min(1).max(100).optional(),
});
export type AttributeMappingConfig = z.infer<typeof attributeMappingSchema>;

export const scopingClauseSchema = z.strictObject({
  attribute: z.string().min(1).max(256),
  operator: z.string().min(1).max(64),
  value: z.string().max(10_000).optional(),
});

export const scopingFilterSchema = z.strictObject({
  name: z.string().min(1).max(256).optional(),
  clauses: z.array(scopingClauseSchema).min(1),
});

/**
 * GoTo license keys are numbers too large for a JSON or YAML number to hold exactly, so they are
 * written as strings of digits.
 */
export const licenseKeySchema = z.string().regex(/^\d{1,40}$/, 'a GoTo license key: decimal digits, written as a string (quote it in YAML)');

/**
 * Which GoToMeeting licenses a user's app roles give (the tutorial's "valid user role"). A user holds
 * the union of the keys of every role it is assigned (directly or through groups); a role absent
 * from the map gives none. With an empty map Roster leaves licenses alone.
 */
export const licenseMappingSchema = z.strictObject({
  /** App role id (as in the app's assignments) → license keys. */
  byAppRole: z.record(z.string().min(1).max(256), z.array(licenseKeySchema).max(50)).default({}),
  /** Take every license away when the user is disabled; a re-enabled user gets its roles' licenses back. */
  removeOnDisable: z.boolean().default(false),
});
export type LicenseMappingConfig = z.infer<typeof licenseMappingSchema>;

export const mappingConfigSchema = z.strictObject({
  version: z.literal(1).default(1),
  attributeMappings: z.array(attributeMappingSchema).min(1),
  /** Filters are ORed, clauses within a filter ANDed; none means every assigned user is in scope. */
  scopingFilters: z.array(scopingFilterSchema).default([]),
  /** Entra's "target object actions". */
  actions: z
    .strictObject({ create: z.boolean().default(true), update: z.boolean().default(true), delete: z.boolean().default(true) })
    .default({ create: true, update: true, delete: true }),
  /** Entra's SkipOutOfScopeDeletions: leave accounts alone when their users leave scope. */
  skipOutOfScopeDeletions: z.boolean().default(false),
  /** Accidental-deletion prevention: more disables/deletes than this in one cycle are held for approval. */
  deletionThreshold: z.number().int().min(1).nullable().default(null),
  /** GoToMeeting licenses by app role; absent in configurations written before licenses were mapped. */
  licenses: licenseMappingSchema.optional(),
});
export type MappingConfig = z.infer<typeof mappingConfigSchema>;
export type MappingConfigInput = z.input<typeof mappingConfigSchema>;
