import type { z } from 'zod';
import type {
  deadLetterPageSchema,
  heldDeletionsSchema,
  mappingValidationSchema,
  redriveResultSchema,
  savedMappingConfigSchema,
  syncProgressSchema,
} from '@roster/contracts';

/** The admin API's answers, typed by the zod schemas its routes validate with (types only: nothing of zod ships). */
export type {
  AdminPrincipal,
  CreateProvisioningJob,
  CycleProgress,
  MappingConfig,
  MappingConfigView,
  AttributeMappingConfig,
  ProvisioningJobSettings,
  ProvisioningJobStateName,
  ProvisioningJobView,
  ProvisioningObjectSummary,
  ProvisioningObjectSummaryPage,
  ValidateCredentialsReply,
  ConnectionVerdict,
  MappingPreview,
  ProvisionOnDemandResult,
  SignInOptions,
  DryRun,
  DryRunDecision,
  QueueDashboardLink,
} from '@roster/contracts';
export type SyncProgress = z.infer<typeof syncProgressSchema>;
export type HeldDeletions = z.infer<typeof heldDeletionsSchema>;
export type DeadLetterPage = z.infer<typeof deadLetterPageSchema>;
export type RedriveResult = z.infer<typeof redriveResultSchema>;
export type SavedMapping = z.infer<typeof savedMappingConfigSchema>;
export type MappingValidation = z.infer<typeof mappingValidationSchema>;
