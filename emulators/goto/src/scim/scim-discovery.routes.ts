import type { BulkOption } from '../emulator-options';
import { ApiError } from '../http/api-error';
import type { Reply } from '../http/request-context';
import type { RouteTable } from '../http/route-table';
import type { ScimDeps } from './scim-deps';
import { SCIM_BASE_PATH, listResponse } from './scim-resources';
import { GROUP_RESOURCE, SCIM_URN, type AttributeDef, type ResourceTypeDef, type SchemaDef } from './scim-schemas';

export interface DiscoveryDeps extends Pick<ScimDeps, 'maxPageSize' | 'validation'> {
  /** False: `/Schemas` and `/ResourceTypes` are not offered (404), as at a GoTo that publishes none. */
  schemaDiscovery: boolean;
  /** The bulk setting now (see BulkOption): advertised as it is when the document is read. */
  bulk: () => BulkOption;
}

/**
 * Discovery documents (RFC 7643 §5–7): any valid token may read them, no admin role needed. They are
 * generated from the tables validation uses, so they list exactly the attributes that are accepted.
 */
export function registerScimDiscoveryRoutes(table: RouteTable, deps: DiscoveryDeps): void {
  table.on('GET', `${SCIM_BASE_PATH}/ServiceProviderConfig`, () => serviceProviderConfig(deps.maxPageSize, deps.bulk()));
  if (!deps.schemaDiscovery) return;
  const resourceTypes = [deps.validation.userResource, GROUP_RESOURCE];
  const schemas = resourceTypes.flatMap((type) => [type.schema, ...type.extensions]);
  table
    .on('GET', `${SCIM_BASE_PATH}/Schemas`, () => ({ status: 200, body: listResponse(schemas.length, 1, schemas.map(schemaResource)) }))
    .on('GET', `${SCIM_BASE_PATH}/Schemas/:id`, (ctx) => ({ status: 200, body: schemaResource(schemaById(schemas, ctx.params['id']!)) }))
    .on('GET', `${SCIM_BASE_PATH}/ResourceTypes`, (ctx) => ({
      status: 200,
      body: listResponse(resourceTypes.length, 1, resourceTypes.map((type) => resourceTypeResource(type, ctx.baseUrl))),
    }))
    .on('GET', `${SCIM_BASE_PATH}/ResourceTypes/:id`, (ctx) => {
      const type = resourceTypes.find((candidate) => candidate.name === ctx.params['id']);
      if (!type) throw new ApiError(404, undefined, `resource type '${ctx.params['id']}' not found`);
      return { status: 200, body: resourceTypeResource(type, ctx.baseUrl) };
    });
}

function schemaById(schemas: readonly SchemaDef[], id: string): SchemaDef {
  const schema = schemas.find((candidate) => candidate.id === id);
  if (!schema) throw new ApiError(404, undefined, `schema '${id}' not found`);
  return schema;
}

function resourceTypeResource(type: ResourceTypeDef, baseUrl: string): Record<string, unknown> {
  return {
    schemas: [SCIM_URN.resourceType],
    id: type.name,
    name: type.name,
    endpoint: type.endpoint,
    schema: type.schema.id,
    schemaExtensions: type.extensions.map((extension) => ({ schema: extension.id, required: false })),
    meta: { resourceType: 'ResourceType', location: `${baseUrl}${SCIM_BASE_PATH}/ResourceTypes/${type.name}` },
  };
}

function serviceProviderConfig(maxPageSize: number, bulk: BulkOption): Reply {
  return {
    status: 200,
    body: {
      schemas: [SCIM_URN.serviceProviderConfig],
      patch: { supported: true },
      bulk: bulk === 'unsupported' ? { supported: false, maxOperations: 0, maxPayloadSize: 0 } : { supported: true, ...bulk },
      filter: { supported: true, maxResults: maxPageSize },
      changePassword: { supported: false },
      sort: { supported: false },
      etag: { supported: false },
      authenticationSchemes: [
        { type: 'oauthbearertoken', name: 'OAuth Bearer Token', description: 'Authorization: Bearer <access token>', primary: true },
      ],
    },
  };
}

function schemaResource(schema: SchemaDef): Record<string, unknown> {
  return {
    schemas: [SCIM_URN.schema],
    id: schema.id,
    name: schema.name,
    description: schema.description,
    attributes: schema.attributes.map(attributeResource),
  };
}

function attributeResource(attribute: AttributeDef): Record<string, unknown> {
  return {
    name: attribute.name,
    type: attribute.type,
    multiValued: attribute.multiValued ?? false,
    description: attribute.description,
    required: attribute.required ?? false,
    caseExact: false,
    mutability: 'readWrite',
    returned: 'default',
    uniqueness: attribute.uniqueness ?? 'none',
    ...(attribute.canonicalValues ? { canonicalValues: attribute.canonicalValues } : {}),
    ...(attribute.subAttributes ? { subAttributes: attribute.subAttributes.map(attributeResource) } : {}),
  };
}
