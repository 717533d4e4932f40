import { z } from 'zod';

export const SCIM_USER_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:User';
export const ENTERPRISE_USER_SCHEMA = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
export const SCIM_GROUP_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:Group';
export const SCIM_PATCH_OP_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';

export interface ScimName {
  givenName: string;
  familyName: string;
}

export interface ScimEmail {
  value: string;
  type?: 'work' | 'home' | 'other';
  primary?: boolean;
}

export interface EnterpriseUserExtension {
  department?: string;
  employeeNumber?: string;
  costCenter?: string;
  division?: string;
}

/**
 * The user attributes GoTo documents (the Entra gallery app's set, plus displayName, locale and
 * timezone from GoTo's SCIM spec). `emails` is not among them: send it only to a GoTo whose
 * `/Schemas` lists it.
 */
export interface ScimUserInput {
  userName: string;
  name: ScimName;
  externalId?: string;
  active?: boolean;
  displayName?: string;
  emails?: ScimEmail[];
  locale?: string;
  timezone?: string;
  [ENTERPRISE_USER_SCHEMA]?: EnterpriseUserExtension;
}

/**
 * What patchUser takes: new values (any JSON) by SCIM attribute path (`name.givenName`,
 * `urn:…:User:department`, `emails[type eq "work"].value`); undefined, null or "" removes the attribute.
 */
export type ScimUserChanges = Readonly<Record<string, unknown>>;

export interface ScimMeta {
  resourceType?: string;
  created?: string;
  lastModified?: string;
  location?: string;
  version?: string;
}

export interface ScimUser extends ScimUserInput {
  /** A numeric string beyond 2^53: never turn it into a number. */
  id: string;
  schemas: string[];
  meta?: ScimMeta;
}

export interface ScimGroup {
  id: string;
  displayName: string;
  externalId?: string;
  members?: { value: string; display?: string }[];
  meta?: ScimMeta;
}

const id = z.union([z.string().min(1), z.number().transform(String)]);
/** Any SCIM resource, as far as its id. */
export const scimResourceIdSchema = z.looseObject({ id });

/** Checks only what the client relies on; everything else GoTo sends is passed through. */
export const scimUserSchema = z.looseObject({
  id,
  userName: z.string(),
  name: z.looseObject({ givenName: z.string().optional(), familyName: z.string().optional() }).optional(),
  schemas: z.array(z.string()).default([]),
});

export const scimGroupSchema = z.looseObject({
  id,
  displayName: z.string(),
  members: z.array(z.looseObject({ value: id })).optional(),
});

export function listResponseSchema<T extends z.ZodType>(resource: T) {
  return z.looseObject({
    totalResults: z.number().int().min(0),
    // SCIM 2.0 says Resources; the older Citrix SCIM spec says resources.
    Resources: z.array(resource).optional(),
    resources: z.array(resource).optional(),
  });
}
