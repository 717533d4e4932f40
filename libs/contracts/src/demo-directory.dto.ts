import { z } from 'zod';
import { attributesSchema } from './message-envelope.schema';

/**
 * The demo directory's REST API (the zero-configuration source): just enough of a directory to
 * assign users and groups to the app. Attribute names follow Microsoft Graph.
 */
export const DEFAULT_ACCESS_ROLE_ID = '00000000-0000-0000-0000-000000000000';

/** Id of a demo user or group, given or generated (a UUID); also what a path names. */
export const demoObjectIdSchema = z.string().regex(/^[A-Za-z0-9._-]{1,128}$/, 'letters, digits, . _ - (1 to 128)');

export const demoUserInputSchema = z.strictObject({
  id: demoObjectIdSchema.optional(),
  userPrincipalName: z.string().min(3).max(256).includes('@'),
  accountEnabled: z.boolean().default(true),
  attributes: attributesSchema.default({}),
});
export type DemoUserInput = z.infer<typeof demoUserInputSchema>;

export const demoUserPatchSchema = z
  .strictObject({
    userPrincipalName: z.string().min(3).max(256).includes('@').optional(),
    accountEnabled: z.boolean().optional(),
    attributes: attributesSchema.optional(),
  })
  .refine((p) => Object.keys(p).length > 0, { message: 'nothing to change' });

export const demoGroupInputSchema = z.strictObject({
  id: demoObjectIdSchema.optional(),
  displayName: z.string().min(1).max(256),
});

export const demoMemberInputSchema = z.strictObject({ userId: z.string().min(1).max(128) });

export const demoAssignmentInputSchema = z.strictObject({
  principalType: z.enum(['User', 'Group']),
  principalId: z.string().min(1).max(128),
  /** The app role; the all-zero "Default Access" role is accepted but, as in Entra, does not provision. */
  appRoleId: z.string().min(1).max(64),
});
export type DemoAssignmentInput = z.infer<typeof demoAssignmentInputSchema>;

const pageLimit = z.coerce.number().int().min(1).max(1000).default(100);

/** `GET /directory/users` and `/directory/groups`, by id; `cursor` is the previous page's `nextCursor`. */
export const demoListQuerySchema = z.strictObject({
  limit: pageLimit,
  cursor: demoObjectIdSchema.optional(),
});
export type DemoListQuery = z.infer<typeof demoListQuerySchema>;

/** `GET /directory/assignments`, by principal; `cursor` (`User:<id>` or `Group:<id>`) is the previous page's `nextCursor`. */
export const demoAssignmentListQuerySchema = z.strictObject({
  limit: pageLimit,
  cursor: z
    .string()
    .regex(/^(User|Group):[A-Za-z0-9._-]{1,128}$/, 'pass back the nextCursor of a previous page')
    .transform((cursor) => {
      const [principalType, principalId] = cursor.split(':') as ['User' | 'Group', string];
      return { principalType, principalId };
    })
    .optional(),
});
export type DemoAssignmentListQuery = z.infer<typeof demoAssignmentListQuerySchema>;
