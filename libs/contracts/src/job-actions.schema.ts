import { z } from 'zod';
import { licenseCheckSchema } from './license-check.schema';
import { mappingConfigSchema } from './mapping-config.schema';

/**
 * What the admin API's job actions (`/jobs/{id}/…`) answer, named after Microsoft Graph's
 * synchronization API where it has the concept. The pipeline service that does the work answers
 * the same shapes on its internal route.
 */

/** `GET /jobs/{id}/mapping`: the configuration in force; version 0 is the default a job starts with before it is saved or runs. */
export const mappingConfigViewSchema = z.object({
  version: z.number().int().min(0),
  config: mappingConfigSchema,
  /** Directory attributes the mappings read. */
  sourceAttributes: z.array(z.string()),
});
export type MappingConfigView = z.infer<typeof mappingConfigViewSchema>;

/** `PUT /jobs/{id}/mapping`: the version saved; every user is re-evaluated under it. */
export const savedMappingConfigSchema = z.object({
  version: z.number().int().min(1),
  config: mappingConfigSchema,
  licenses: licenseCheckSchema.optional(),
});

/** `POST /jobs/{id}/mapping/validate`: what saving would check, without saving. */
export const mappingValidationSchema = z.object({ valid: z.literal(true), licenses: licenseCheckSchema.optional() });

/** A refused mapping configuration: every problem, each with where it is. */
export const mappingProblemsSchema = z.object({
  message: z.string(),
  problems: z.array(z.object({ path: z.string(), message: z.string() })),
});
