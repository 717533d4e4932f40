import { z } from 'zod';

/**
 * Reconciliation against GoTo: GoTo's users and groups read (paged) and compared with the desired
 * state the connector holds; what differs is repaired through the same per-user path as commands.
 * One trigger, three callers: `POST /reconciliation` on the connector, the `reconcile` call over the
 * Redis transport (`connectorRpcPattern(prefix, 'reconcile')`), and the connector's own schedule.
 */
export const reconciliationRequestSchema = z
  .strictObject({
    /** Compare and report only: nothing is written to GoTo. */
    dryRun: z.boolean().default(false),
    /** Who asked, for the log (e.g. `admin`, `lost-queues`); the schedule says `schedule`. */
    reason: z.string().min(1).max(200).optional(),
  })
  .default({ dryRun: false });
export type ReconciliationRequest = z.infer<typeof reconciliationRequestSchema>;

/** What a run found, by kind of repair (planned, or in a dry run: would be planned). */
export const reconciliationCountsSchema = z.object({
  /** Accounts listed in GoTo. */
  listed: z.number().int().min(0),
  /** Users whose desired state includes an account in GoTo. */
  managed: z.number().int().min(0),
  /** Accounts Roster manages whose account is gone from GoTo: created again. */
  missing: z.number().int().min(0),
  /** Accounts whose attributes differ from the desired state. */
  changed: z.number().int().min(0),
  /** Accounts active in GoTo that should be disabled. */
  toDisable: z.number().int().min(0),
  /** Accounts disabled in GoTo that should be active. */
  toEnable: z.number().int().min(0),
  /** Members Roster wants in a group and GoTo lacks. */
  membersToAdd: z.number().int().min(0),
  /** Members of a Roster group that should not be there (Roster's users and accounts Roster never managed). */
  membersToRemove: z.number().int().min(0),
  /** Accounts Roster never managed: left alone, listed in `unmanaged`. */
  unmanaged: z.number().int().min(0),
});
export type ReconciliationCounts = z.infer<typeof reconciliationCountsSchema>;

export const reconciliationRunSchema = z.object({
  id: z.uuid(),
  provisioningJobId: z.string(),
  dryRun: z.boolean(),
  /** `incident`: started by the connector itself when Redis lost its data or PostgreSQL was restored. */
  trigger: z.enum(['schedule', 'on-demand', 'incident']),
  reason: z.string().nullable(),
  /** `completed`: GoTo was compared and every repair was handed to the per-user path (or, dry, reported). */
  status: z.enum(['running', 'completed', 'failed']),
  startedAt: z.iso.datetime(),
  finishedAt: z.iso.datetime().nullable(),
  counts: reconciliationCountsSchema.nullable(),
  /** GoTo requests the comparison took (listing pages; repairs not included). */
  requests: z.number().int().min(0).nullable(),
  /** Up to 100 unmanaged accounts, for the admin to look at. */
  unmanaged: z.array(z.object({ id: z.string(), userName: z.string() })).nullable(),
  error: z.string().nullable(),
});
export type ReconciliationRun = z.infer<typeof reconciliationRunSchema>;

/** `POST /reconciliation` (or the `reconcile` call) while a run is in progress somewhere: 409 with that run. */
export const reconciliationBusySchema = z.object({
  error: z.literal('reconciliation-running'),
  message: z.string(),
  running: reconciliationRunSchema.nullable(),
});
export type ReconciliationBusy = z.infer<typeof reconciliationBusySchema>;
