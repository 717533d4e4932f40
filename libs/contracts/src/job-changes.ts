import { z } from 'zod';
import { provisioningJobIdSchema } from './provisioning-job.schema';

/**
 * Redis pub/sub channel (under the queue prefix) on which the admin API announces that a
 * provisioning job's record changed (settings, credentials, state). Pipeline services re-read the
 * record from PostgreSQL on each message, so a lost message costs only latency: they also re-read
 * on a slow timer, and the record's `revision` tells them whether anything changed.
 */
export const JOB_CHANGES_CHANNEL = 'job-changes';

export const jobChangeMessageSchema = z.strictObject({
  jobId: provisioningJobIdSchema,
  revision: z.number().int().min(1),
  /** What the admin did, for logs; services act on the record, never on this field. */
  reason: z.enum(['created', 'settings', 'credentials', 'state', 'deleted', 'restart']),
});
export type JobChangeMessage = z.infer<typeof jobChangeMessageSchema>;
