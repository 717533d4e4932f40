import { z } from 'zod';
import { AuditAction, AuditService, AuditStatus, AuditStep } from './audit-record';

/**
 * Microsoft Graph's provisioningObjectSummary (GET /auditLogs/provisioning), which Roster's
 * provisioning log follows field for field so tools that read Entra's logs read Roster's. Enum
 * values are Graph's; what Graph has no word for travels in `roster`.
 */
export const GraphProvisioningAction = z.enum(['create', 'update', 'delete', 'stagedDelete', 'disable', 'other', 'unknownFutureValue']);
export type GraphProvisioningAction = z.infer<typeof GraphProvisioningAction>;

/** provisioningResult, shared by the summary's and each step's status. */
export const GraphProvisioningResult = z.enum(['success', 'warning', 'failure', 'skipped', 'unknownFutureValue']);
export type GraphProvisioningResult = z.infer<typeof GraphProvisioningResult>;

export const GraphProvisioningStepType = z.enum(['import', 'scoping', 'matching', 'processing', 'referenceResolution', 'export', 'unknownFutureValue']);

const detailsInfo = z.record(z.string(), z.string());

export const provisionedIdentitySchema = z.object({ id: z.string(), displayName: z.string(), identityType: z.string(), details: detailsInfo });
export const provisioningSystemSchema = z.object({ id: z.string(), displayName: z.string(), details: detailsInfo });

export const provisioningErrorInfoSchema = z.object({
  errorCode: z.string(),
  reason: z.string(),
  additionalDetails: z.string().nullable(),
  recommendedAction: z.string().nullable(),
  errorCategory: z.enum(['failure', 'nonServiceFailure', 'success', 'unknownFutureValue']),
});

export const provisioningStepSchema = z.object({
  name: z.string(),
  provisioningStepType: GraphProvisioningStepType,
  status: GraphProvisioningResult,
  description: z.string(),
  details: detailsInfo,
});

export const modifiedPropertySchema = z.object({ displayName: z.string(), oldValue: z.string().nullable(), newValue: z.string().nullable() });

export const provisioningObjectSummarySchema = z.object({
  id: z.string(),
  activityDateTime: z.string(),
  tenantId: z.string(),
  jobId: z.string(),
  cycleId: z.string().nullable(),
  changeId: z.string(),
  durationInMilliseconds: z.number().int().nullable(),
  provisioningAction: GraphProvisioningAction,
  initiatedBy: z.object({ id: z.string(), displayName: z.string(), initiatorType: z.enum(['user', 'application', 'system', 'unknownFutureValue']) }),
  servicePrincipal: z.object({ id: z.string(), displayName: z.string() }),
  sourceSystem: provisioningSystemSchema,
  targetSystem: provisioningSystemSchema,
  sourceIdentity: provisionedIdentitySchema,
  targetIdentity: provisionedIdentitySchema,
  provisioningStatusInfo: z.object({ status: GraphProvisioningResult, errorInformation: provisioningErrorInfoSchema.nullable() }),
  provisioningSteps: z.array(provisioningStepSchema),
  modifiedProperties: z.array(modifiedPropertySchema),
  /** Roster's own words for the record: which service wrote it, at which step, with which of Roster's actions. */
  roster: z.object({
    service: AuditService,
    action: AuditAction,
    step: AuditStep,
    status: AuditStatus,
    attempt: z.number().int().nullable(),
    messageId: z.string().nullable(),
    reason: z.string().nullable(),
    details: z.record(z.string(), z.unknown()).nullable(),
  }),
});
export type ProvisioningObjectSummary = z.infer<typeof provisioningObjectSummarySchema>;

export const provisioningObjectSummaryPageSchema = z.object({
  '@odata.context': z.string(),
  value: z.array(provisioningObjectSummarySchema),
  '@odata.nextLink': z.string().optional(),
});
export type ProvisioningObjectSummaryPage = z.infer<typeof provisioningObjectSummaryPageSchema>;
