import { z } from 'zod';

/**
 * The job's license mapping checked against the GoTo account's licenses: what Test Connection and a
 * saved mapping report to the admin.
 */
export const licenseCheckSchema = z.object({
  /** The account's licenses the mapping gives, with the seats still free (null: GoTo did not say). */
  licenses: z.array(
    z.object({
      key: z.string(),
      description: z.string().optional(),
      products: z.array(z.string()),
      freeSeats: z.number().int().min(0).nullable(),
      appRoles: z.array(z.string()),
    }),
  ),
  /** Keys the mapping gives that the account does not have, and where they are configured. */
  unknownKeys: z.array(z.object({ path: z.string(), key: z.string() })),
  /** Why the check was partial or skipped: no license mapping, account licenses not read yet, … */
  note: z.string().optional(),
});
export type LicenseCheck = z.infer<typeof licenseCheckSchema>;
