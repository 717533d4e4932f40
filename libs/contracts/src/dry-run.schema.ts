import { z } from 'zod';
import { watchedDirectoryUserSchema } from './mapping-preview.schema';
import { watcherJobQuerySchema } from './pipeline-status.schema';

const cursorSchema = z.string().min(1).max(256);

/** The watcher's internal `GET /sync/users`: the directory now, a keyset page of users in id order. */
export const directoryUsersQuerySchema = watcherJobQuerySchema.extend({
  after: cursorSchema.optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(500),
});
export const directoryUsersPageSchema = z.object({ items: z.array(watchedDirectoryUserSchema), next: cursorSchema.nullable() });

/** The mapper's internal `POST /jobs/{id}/dry-run`: users as the directory has them (a hard-deleted one: gone from it). */
export const mapperDryRunRequestSchema = z.strictObject({ users: z.array(watchedDirectoryUserSchema).max(1000) });

/** What the mapper would send for one user now, sending nothing. */
export const dryRunDecisionSchema = z.object({
  userId: z.string(),
  userName: z.string().nullable(),
  /** The commands, in order (`user.create`, `user.update`, `group.add-member`, …); empty when nothing would be sent. */
  commands: z.array(z.string()),
  /** Why nothing would be sent, or the mapping error the user would fail with. */
  reason: z.string().nullable(),
  failed: z.boolean(),
  /** Target attributes an update would change. */
  changed: z.array(z.string()).optional(),
});
export type DryRunDecision = z.infer<typeof dryRunDecisionSchema>;
export const mapperDryRunReplySchema = z.object({ items: z.array(dryRunDecisionSchema) });

/** The mapper's internal `GET /jobs/{id}/dry-run/known-users`: users it holds an account or an assignment for, in id order. */
export const knownUsersPageSchema = z.object({ items: z.array(z.string()), next: cursorSchema.nullable() });

/** `POST /jobs/{id}/dryRun` starts one (202); `GET /jobs/{id}/dryRun/{runId}` reads it. */
export const dryRunSchema = z.object({
  id: z.string(),
  jobId: z.string(),
  status: z.enum(['running', 'completed', 'failed']),
  startedAt: z.string(),
  finishedAt: z.string().nullable(),
  error: z.string().nullable(),
  /** Directory users read, and users Roster knows that the directory no longer has. */
  usersRead: z.number().int(),
  usersGone: z.number().int(),
  /** Commands that would be sent, by type (`user.create`: 3, …), and users that would fail their mapping or send nothing. */
  counts: z.record(z.string(), z.number().int()),
  usersFailing: z.number().int(),
  usersUnchanged: z.number().int(),
  /** The job's deletion threshold would hold this run's disables and deletes for approval. */
  wouldHoldDeletions: z.boolean(),
});
export type DryRun = z.infer<typeof dryRunSchema>;

/** `GET /jobs/{id}/dryRun/{runId}/items`: the users something would be sent for (or that would fail), in user-id order. */
export const dryRunItemsQuerySchema = z.strictObject({
  /** Only users with this command (`user.create`, …), or `failed`. */
  command: z.string().min(1).max(64).optional(),
  after: cursorSchema.optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
});
export const dryRunItemsPageSchema = z.object({ items: z.array(dryRunDecisionSchema), next: cursorSchema.nullable() });
