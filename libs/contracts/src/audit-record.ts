import { z } from 'zod';
import { attributesSchema, changeOrderSchema, messageEnvelopeShape } from './message-envelope.schema';
import { NUL_MESSAGE, storable, withoutNul } from './storable';

export const AuditService = z.enum(['directory-watcher', 'mapper', 'connector', 'audit', 'admin-api']);
export type AuditService = z.infer<typeof AuditService>;

/** Entra's provisioning-log actions, plus the group-membership ones Roster provisions. */
export const AuditAction = z.enum([
  'Create',
  'Update',
  'Disable',
  'Enable',
  'Delete',
  'StagedDelete',
  'AddMember',
  'RemoveMember',
  'Import',
  'Other',
]);
export type AuditAction = z.infer<typeof AuditAction>;

/**
 * Which step of a change the record is about: each service records what it received and what it did.
 * `attempted`: a write to the target is about to be sent (recorded first, settled later by
 * `executed`, `retried` or `failed`), so a write whose outcome could not be stored still appears.
 */
export const AuditStep = z.enum(['received', 'computed', 'skipped', 'attempted', 'executed', 'failed', 'retried', 'rejected']);
export type AuditStep = z.infer<typeof AuditStep>;

export const AuditStatus = z.enum(['success', 'skipped', 'failure', 'warning', 'pending']);
export type AuditStatus = z.infer<typeof AuditStatus>;

export const auditRecordSchema = storable(
  z.object({
    version: messageEnvelopeShape.version,
    /** Deterministic per (service, step, message, attempt): a record produced twice is stored once. */
    id: z.string().min(1).max(512),
    occurredAt: messageEnvelopeShape.occurredAt,
    service: AuditService,
    provisioningJobId: z.string().min(1).max(64),
    correlationId: z.string().min(1).max(256),
    /** The watcher cycle the change belongs to (Graph's cycleId); absent for work no cycle started (re-drives, reconciliation). */
    cycleId: changeOrderSchema.optional(),
    /** Idempotency key of the queue message this record is about. */
    messageId: z.string().max(256).optional(),
    action: AuditAction,
    step: AuditStep,
    status: AuditStatus,
    reason: z.string().max(4000).optional(),
    source: z.object({ id: z.string().max(256), displayName: z.string().max(512).optional() }).optional(),
    target: z.object({ id: z.string().max(256).optional(), userName: z.string().max(512).optional() }).optional(),
    attempt: z.number().int().min(1).optional(),
    /** How long the step took (the connector's writes to GoTo): Graph's durationInMilliseconds. */
    durationMs: z.number().int().min(0).max(2_147_483_647).optional(),
    before: attributesSchema.optional(),
    after: attributesSchema.optional(),
    details: z.record(z.string(), z.unknown()).optional(),
    error: z
      .object({ kind: z.string().max(64), status: z.number().int().optional(), body: z.unknown().optional() })
      .optional(),
  }),
);
export type AuditRecord = z.infer<typeof auditRecordSchema>;

/**
 * What the audit queue carries: the records one step of one service produced (a watcher page, a
 * mapper decision), so a page of 1,000 imports costs one queue job, not 1,000. Records keep their own
 * ids, so a batch delivered twice, or split differently on a retry, still logs each record once. The
 * audit service checks each record on its own: a malformed one is logged as rejected, the rest stored.
 */
export const auditBatchSchema = z.object({
  version: messageEnvelopeShape.version,
  id: z.string().min(1).max(256).refine(withoutNul, NUL_MESSAGE),
  records: z.array(z.unknown()).min(1).max(1000),
});
export type AuditBatch = Omit<z.infer<typeof auditBatchSchema>, 'records'> & { records: AuditRecord[] };
