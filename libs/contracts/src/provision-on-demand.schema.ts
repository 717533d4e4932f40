import { z } from 'zod';
import { AuditAction, AuditStatus, AuditStep } from './audit-record';
import { provisioningStepSchema } from './provisioning-object-summary';

const userIdSchema = z.string().min(1).max(256);

/** `POST /jobs/{id}/provisionOnDemand` (Graph's provisionOnDemand, Entra's "Provision on demand"): one directory user, now. */
export const provisionOnDemandRequestSchema = z.strictObject({ userId: userIdSchema });
export type ProvisionOnDemandRequest = z.infer<typeof provisionOnDemandRequestSchema>;

/** `GET /jobs/{id}/provisionOnDemand?changeId=…`: the outcome of an earlier request, read again. */
export const provisionOnDemandQuerySchema = z.strictObject({ changeId: z.string().min(1).max(256) });

/** The watcher's internal `POST /sync/users/{userId}/provision-on-demand`: who asked, for the log. */
export const onDemandRequestSchema = z.strictObject({ requestedBy: z.string().max(256).optional() });

/** The watcher's internal answer: the change the user was sent through the pipeline as, if any. */
export const onDemandImportSchema = z.object({
  provisioningJobId: z.string(),
  userId: userIdSchema,
  /** The provisioning log's changeId of what the pipeline does with the user; null when the watcher had nothing to send. */
  changeId: z.string().nullable(),
  event: z.string().nullable(),
  /** What the watcher did: the import, and the scoping when it sent nothing. */
  steps: z.array(provisioningStepSchema),
});
export type OnDemandImport = z.infer<typeof onDemandImportSchema>;

/** One write the mapper decided for the user, and what the connector made of it in GoTo. */
export const onDemandActionSchema = z.object({
  command: z.string(),
  action: AuditAction,
  /** The connector's last step for it (`attempted`/`retried`: not finished), or `skipped` for one held by the deletion threshold. */
  step: AuditStep.nullable(),
  status: AuditStatus,
  reason: z.string().nullable(),
  targetId: z.string().nullable(),
});

export const provisionOnDemandResultSchema = z.object({
  userId: userIdSchema,
  changeId: z.string().nullable(),
  /** Every step has its outcome; false when the wait ended first (read it again with GET and the changeId). */
  complete: z.boolean(),
  /** Overall: `pending` until complete; then the worst of the steps (`skipped` when nothing was to be written). */
  outcome: z.enum(['success', 'warning', 'failure', 'skipped', 'pending']),
  /** As Entra shows them: import, scoping, matching, the action decided, and each export to GoTo (status `unknownFutureValue` while under way). */
  steps: z.array(provisioningStepSchema),
  actions: z.array(onDemandActionSchema),
  /** Ids of the provisioning-log records the change wrote (`GET /auditLogs/provisioning/{id}`). */
  logIds: z.array(z.string()),
});
export type ProvisionOnDemandResult = z.infer<typeof provisionOnDemandResultSchema>;
