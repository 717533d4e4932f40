import { z } from 'zod';
import { connectionVerdictSchema, connectorTestConnectionReplySchema } from './connector-rpc';
import { licenseCheckSchema } from './license-check.schema';
import { mappingConfigSchema } from './mapping-config.schema';

/**
 * What the admin API's job actions (`/jobs/{id}/…`) answer, named after Microsoft Graph's
 * synchronization API where it has the concept. The pipeline service that does the work answers
 * the same shapes on its internal route.
 */

/** `GET /jobs/{id}/mapping`: the configuration in force; version 0 is the default a job starts with before it is saved or runs. */
export const mappingConfigViewSchema = z.object({
  version: z.number().int().min(0),
  config: mappingConfigSchema,
  /** Directory attributes the mappings read. */
  sourceAttributes: z.array(z.string()),
});
export type MappingConfigView = z.infer<typeof mappingConfigViewSchema>;

/** `PUT /jobs/{id}/mapping`: the version saved; every user is re-evaluated under it. */
export const savedMappingConfigSchema = z.object({
  version: z.number().int().min(1),
  config: mappingConfigSchema,
  licenses: licenseCheckSchema.optional(),
});

/** `POST /jobs/{id}/mapping/validate`: what saving would check, without saving. */
export const mappingValidationSchema = z.object({ valid: z.literal(true), licenses: licenseCheckSchema.optional() });

/** A refused mapping configuration: every problem, each with where it is. */
export const mappingProblemsSchema = z.object({
  message: z.string(),
  problems: z.array(z.object({ path: z.string(), message: z.string() })),
});

/** One disable or delete the deletion threshold held back, waiting for an admin (Entra's StagedDelete). */
export const heldDeletionSchema = z.object({
  id: z.string(),
  userId: z.string(),
  /** The command that would be sent on approval: DisableUser or DeleteUser (or a group removal that waits with it). */
  commandType: z.string(),
  /** The cycle whose deletions went over the threshold. */
  cycle: z.string(),
  heldAt: z.string(),
});
export const heldDeletionsSchema = z.object({ approvalRequired: z.boolean(), reason: z.string().nullable(), items: z.array(heldDeletionSchema) });

/** What the mapper's held-deletions route lists (its table's rows). */
export const heldCommandRowSchema = z.looseObject({
  id: z.string(),
  cycle: z.string(),
  user_id: z.string(),
  command: z.looseObject({ type: z.string() }),
  created_at: z.string(),
});

export const heldDeletionsDecisionSchema = z.object({ released: z.number().int().min(0) }).or(z.object({ rejected: z.number().int().min(0) }));

/** `POST /jobs/{id}/validateCredentials` (Graph's name for Test Connection); both checks use the job's saved credentials. */
export const validateCredentialsRequestSchema = z
  .strictObject({
    /** End the job's quarantine when GoTo's verdict is OK; without it Test Connection only reports. */
    resume: z.boolean().default(false),
  })
  .default({ resume: false });
export type ValidateCredentialsRequest = z.infer<typeof validateCredentialsRequestSchema>;

export const validateCredentialsReplySchema = z.object({
  /** The directory source: the demo directory needs nothing; Entra's app registration must read the enterprise app. */
  source: z.intersection(z.object({ kind: z.enum(['demo', 'entra']) }), connectionVerdictSchema),
  /** GoTo, as the connector's Test Connection decides it (bad password, no admin rights, unreachable, or OK with the account). */
  goto: connectorTestConnectionReplySchema,
});
export type ValidateCredentialsReply = z.infer<typeof validateCredentialsReplySchema>;

/**
 * `POST /jobs/{id}/restart`: forget the saved position and restate every user in a fresh initial
 * cycle (Graph's restart with Watermark and Escrows); the job is turned on. Options as Graph's
 * restart criteria: QuarantineState (`resetQuarantine`), ForceDeletes (`heldDeletions: approve`).
 */
export const restartRequestSchema = z
  .strictObject({
    /** End a quarantine now rather than at the connector's next successful probe. */
    resetQuarantine: z.boolean().default(false),
    /** What to do with deletions the threshold holds: send them, drop them, or leave them waiting. */
    heldDeletions: z.enum(['keep', 'approve', 'reject']).default('keep'),
  })
  .default({ resetQuarantine: false, heldDeletions: 'keep' });
export type RestartRequest = z.infer<typeof restartRequestSchema>;
