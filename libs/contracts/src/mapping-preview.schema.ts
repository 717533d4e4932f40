import { z } from 'zod';
import { assignmentViaSchema, directoryGroupSchema } from './assignment-change.event';
import { mappingConfigSchema } from './mapping-config.schema';
import { attributesSchema, attributeValueSchema } from './message-envelope.schema';
import { matchingAttributeSchema } from './provisioning-command';

const userIdSchema = z.string().min(1).max(256);

/**
 * One directory user as the job's watcher reads it from its source now (its internal
 * `GET /sync/users/{userId}`): the input of an expression preview and of provisioning on demand.
 */
export const watchedDirectoryUserSchema = z.object({
  provisioningJobId: z.string(),
  id: userIdSchema,
  state: z.enum(['present', 'soft-deleted', 'hard-deleted']),
  accountEnabled: z.boolean(),
  attributes: attributesSchema,
  /** Assignments that put the user in scope, as the watcher counts them (Default Access per the job's setting). */
  assignments: z.array(assignmentViaSchema),
  groups: z.array(directoryGroupSchema),
});
export type WatchedDirectoryUser = z.infer<typeof watchedDirectoryUserSchema>;

/** `POST /jobs/{id}/mapping/preview`: a directory user, and a draft configuration to try instead of the one in force. */
export const mappingPreviewRequestSchema = z.strictObject({
  userId: userIdSchema,
  config: mappingConfigSchema.optional(),
});
export type MappingPreviewRequest = z.infer<typeof mappingPreviewRequestSchema>;

/** The mapper's internal preview route: the user as the watcher read it; a draft is validated as saving would. */
export const mapperPreviewRequestSchema = z.strictObject({
  user: watchedDirectoryUserSchema,
  config: z.unknown().optional(),
});

/** What one target attribute gets; `error` is what the pipeline would fail the user with, with its 1-based position. */
export const targetPreviewSchema = z.object({
  target: z.string(),
  type: z.enum(['Direct', 'Constant', 'Expression', 'None']),
  /** Absent when nothing is sent (see `notApplied` or `error`); "[Redact]" for a value that went through Redact(). */
  value: attributeValueSchema.optional(),
  redacted: z.boolean(),
  /** The mapping's default value, used on create when the mapped value is empty. */
  fromDefault: z.boolean(),
  notApplied: z.string().optional(),
  error: z.object({ code: z.string(), message: z.string(), line: z.number().int(), column: z.number().int() }).optional(),
});
export type TargetPreview = z.infer<typeof targetPreviewSchema>;

export const mappingPreviewSchema = z.object({
  userId: userIdSchema,
  /** The version previewed; null for a draft given in the request. */
  configVersion: z.number().int().min(0).nullable(),
  /** The user has no account yet (or its create failed): values are those of a create, OnlyOnCreate mappings and defaults included. */
  forCreate: z.boolean(),
  /** Assigned to the app (directly, through a group, or all users) and present in the directory. */
  assigned: z.boolean(),
  scoping: z.object({ inScope: z.boolean(), reason: z.string() }),
  matching: z.array(matchingAttributeSchema).nullable(),
  matchingError: z.string().nullable(),
  targets: z.array(targetPreviewSchema),
});
export type MappingPreview = z.infer<typeof mappingPreviewSchema>;
