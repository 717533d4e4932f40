import type { TargetAttribute } from '@roster/contracts';
import { z } from 'zod';
import { ENTERPRISE_USER_SCHEMA, SCIM_USER_SCHEMA } from './scim-types';

/** An attribute definition of an RFC 7643 §7 Schema resource; only what the flattening reads is checked. */
export interface ScimAttributeDefinition {
  name: string;
  type: TargetAttribute['type'];
  multiValued?: boolean;
  required?: boolean;
  mutability?: TargetAttribute['mutability'];
  canonicalValues?: string[];
  subAttributes?: ScimAttributeDefinition[];
}

const attributeDefinitionSchema: z.ZodType<ScimAttributeDefinition> = z.lazy(() =>
  z.looseObject({
    name: z.string().min(1),
    type: z.enum(['string', 'boolean', 'decimal', 'integer', 'dateTime', 'binary', 'reference', 'complex']),
    multiValued: z.boolean().optional(),
    required: z.boolean().optional(),
    mutability: z.enum(['readOnly', 'readWrite', 'immutable', 'writeOnly']).optional(),
    canonicalValues: z.array(z.string()).optional(),
    subAttributes: z.array(attributeDefinitionSchema).optional(),
  }),
);

export const scimSchemaResourceSchema = z.looseObject({
  id: z.string().min(1),
  attributes: z.array(attributeDefinitionSchema).default([]),
});
export type ScimSchemaResource = z.infer<typeof scimSchemaResourceSchema>;

export const scimResourceTypeSchema = z.looseObject({
  name: z.string().optional(),
  endpoint: z.string(),
  schema: z.string().min(1),
  schemaExtensions: z.array(z.looseObject({ schema: z.string().min(1) })).default([]),
});
export type ScimResourceType = z.infer<typeof scimResourceTypeSchema>;

/**
 * The user attributes a SCIM service accepts, flattened to the paths mappings use: sub-attributes
 * of a single complex attribute as `name.givenName`, extension attributes behind their schema URN,
 * and a typed multi-valued attribute (`emails`) as one `emails[type eq "work"].value` path per
 * canonical type the service lists. Without a User resource type (no `/ResourceTypes`) the core
 * User schema and the enterprise extension are taken, as RFC 7643 defines them for users.
 */
export function userAttributesOf(schemas: readonly ScimSchemaResource[], resourceTypes: readonly ScimResourceType[] | null): TargetAttribute[] {
  const userType = resourceTypes?.find((type) => type.endpoint.replace(/^\//, '') === 'Users' || type.name === 'User');
  const core = userType?.schema ?? SCIM_USER_SCHEMA;
  const extensions = userType ? userType.schemaExtensions.map((extension) => extension.schema) : [ENTERPRISE_USER_SCHEMA];
  const byId = new Map(schemas.map((schema) => [schema.id, schema]));
  return [
    ...flatten(byId.get(core)?.attributes ?? [], ''),
    ...extensions.flatMap((id) => flatten(byId.get(id)?.attributes ?? [], `${id}:`)),
  ];
}

function flatten(attributes: readonly ScimAttributeDefinition[], prefix: string): TargetAttribute[] {
  return attributes.flatMap((attribute): TargetAttribute[] => {
    const path = `${prefix}${attribute.name}`;
    if (attribute.type !== 'complex') return [describe(path, attribute)];
    const subs = attribute.subAttributes ?? [];
    if (!attribute.multiValued) return subs.filter((sub) => sub.type !== 'complex').map((sub) => describe(`${path}.${sub.name}`, sub, attribute));
    const value = subs.find((sub) => sub.name === 'value');
    const types = subs.find((sub) => sub.name === 'type')?.canonicalValues ?? [];
    return value ? types.map((type) => describe(`${path}[type eq ${JSON.stringify(type)}].value`, value, attribute)) : [];
  });
}

function describe(path: string, attribute: ScimAttributeDefinition, parent?: ScimAttributeDefinition): TargetAttribute {
  return {
    path,
    type: attribute.type,
    multiValued: parent ? false : (attribute.multiValued ?? false),
    // A sub-attribute is no more writable than the attribute holding it (RFC 7643 §2.2 defaults: readWrite).
    mutability: parent?.mutability === 'readOnly' ? 'readOnly' : (attribute.mutability ?? 'readWrite'),
    required: (attribute.required ?? false) && (parent ? (parent.required ?? false) : true),
  };
}
