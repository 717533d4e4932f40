import { z } from 'zod';
import { isoInstantSchema } from './iso-instant';
import { ProvisioningCommandType } from './provisioning-command';

/** Which dead letters a listing or a bulk re-drive is about; every field optional, all ANDed. */
const filterShape = {
  provisioningJobId: z.string().min(1).max(64).optional(),
  userId: z.string().min(1).max(256).optional(),
  type: z.enum(Object.values(ProvisioningCommandType) as [string, ...string[]]).optional(),
  /** The error class of the last failure: permanent, not-found, conflict, transient, error. */
  errorKind: z.string().min(1).max(64).optional(),
  /** Failed at or after / at or before (ISO 8601). */
  from: isoInstantSchema('from').optional(),
  to: isoInstantSchema('to').optional(),
};
const filterKeys = Object.keys(filterShape) as (keyof typeof filterShape)[];

export type DeadLetterFilter = Partial<Record<(typeof filterKeys)[number], string>>;

/** `GET /dead-letters` (the connector's, and the admin API's per job): newest first; `cursor` is the `nextCursor` of the previous page. */
export const deadLetterQuerySchema = z.strictObject({
  ...filterShape,
  /** dead: may be re-driven; redriven: the mapper was asked to recompute the user; resolved: a later command succeeded. */
  status: z.enum(['dead', 'redriven', 'resolved', 'any']).default('dead'),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
  cursor: z.string().regex(/^\d{1,18}$/, 'pass back the nextCursor of a previous page').optional(),
});
export type DeadLetterQuery = z.infer<typeof deadLetterQuerySchema>;

/** `POST /dead-letters/redrive`: the dead letters to send again, or `{"all": true}` for every one. */
export const redriveRequestSchema = z
  .strictObject({ ...filterShape, all: z.literal(true).optional() })
  .refine((r) => r.all === true || filterKeys.some((k) => r[k] !== undefined), {
    message: 'name at least one filter, or send {"all": true} to re-drive every dead letter',
  });
export type RedriveRequest = z.infer<typeof redriveRequestSchema>;

export const deadLetterIdSchema = z.string().regex(/^\d{1,18}$/, 'a dead-letter id is a number');

/** A command that could not succeed, as `GET /dead-letters` lists it (the command itself and GoTo's error included). */
export const deadLetterSchema = z.looseObject({
  id: z.string(),
  provisioningJobId: z.string(),
  userId: z.string(),
  type: z.string(),
  reason: z.string(),
  status: z.enum(['dead', 'redriven', 'resolved']),
  failedAt: z.string(),
});
export const deadLetterPageSchema = z.object({ items: z.array(deadLetterSchema), nextCursor: z.string().nullable() });

/** What a re-drive answers: each dead letter sent again, with the key of the request that asks the mapper to recompute its user. */
export const redriveResultSchema = z.object({ redriven: z.number().int().min(0), items: z.array(z.object({ id: z.string(), redrivenAs: z.string() })) });
