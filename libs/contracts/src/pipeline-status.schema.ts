import { z } from 'zod';
import { provisioningJobIdSchema } from './provisioning-job.schema';

/**
 * What the pipeline services' internal status routes answer, as the admin API reads them to show a
 * job's state (see the job state machine): each service says which job it runs, and its part of the
 * job's condition. Extra fields pass; the admin API reads only these.
 */

/** The connector's `GET /status`. */
export const connectorStatusSchema = z.looseObject({
  provisioningJobId: z.string(),
  /** The job record's revision the connector runs with (0: its environment's settings, no record yet). */
  revision: z.number().int().min(0),
  state: z.enum(['running', 'paused', 'quarantined']),
  quarantine: z
    .looseObject({
      kind: z.enum(['failures', 'fatal']),
      reason: z.string(),
      since: z.string(),
      nextProbeAt: z.string(),
    })
    .nullable(),
  deadLetters: z.number().int().min(0),
});
export type ConnectorStatus = z.infer<typeof connectorStatusSchema>;

/** The watcher's `GET /sync/status`: the current cycle and the saved position. */
/**
 * The job a watcher route is about (`?jobId=`): a watcher runs every job of the installation.
 * Without it, the job of the watcher's PROVISIONING_JOB_ID, as before it ran more than one.
 */
export const watcherJobQuerySchema = z.strictObject({ jobId: provisioningJobIdSchema.optional() });

export const watcherSyncStatusSchema = z.looseObject({
  provisioningJobId: z.string(),
  phase: z.enum(['starting', 'initial', 'incremental', 'reconcile', 'recover', 'idle', 'standby', 'paused', 'error']),
  cycle: z.number().int().min(0),
  lastError: z.string().nullable(),
  lastCompletedAt: z.string().nullable(),
  /** Null until a first full cycle has completed (again after a restart). */
  initialCycleCompletedAt: z.string().nullable(),
});
export type WatcherSyncStatus = z.infer<typeof watcherSyncStatusSchema>;

/** The mapper's `GET /jobs/{id}`: the mapping version in force and the deletion guard. */
export const mapperJobStatusSchema = z.looseObject({
  jobId: z.string(),
  currentVersion: z.number().int(),
  approvalRequired: z.boolean(),
  approvalReason: z.string().nullable(),
  heldDeletions: z.number().int().min(0),
  rescopeInProgress: z.boolean(),
});
export type MapperJobStatus = z.infer<typeof mapperJobStatusSchema>;
