import { ApiError } from '../http/api-error';
import type { Reply } from '../http/request-context';
import type { RouteTable } from '../http/route-table';
import type { ScimDeps } from './scim-deps';
import { SCIM_BASE_PATH, listResponse } from './scim-resources';
import { ENTERPRISE_USER_SCHEMA, GROUP_SCHEMA, SCIM_URN, USER_SCHEMA, type AttributeDef, type SchemaDef } from './scim-schemas';

const SCHEMAS = [USER_SCHEMA, ENTERPRISE_USER_SCHEMA, GROUP_SCHEMA];

/** Discovery documents: any valid token may read them, no admin role needed. */
export function registerScimDiscoveryRoutes(table: RouteTable, deps: Pick<ScimDeps, 'maxPageSize'>): void {
  table
    .on('GET', `${SCIM_BASE_PATH}/ServiceProviderConfig`, () => serviceProviderConfig(deps.maxPageSize))
    .on('GET', `${SCIM_BASE_PATH}/Schemas`, () => ({
      status: 200,
      body: listResponse(SCHEMAS.length, 1, SCHEMAS.map(schemaResource)),
    }))
    .on('GET', `${SCIM_BASE_PATH}/Schemas/:id`, (ctx) => {
      const schema = SCHEMAS.find((candidate) => candidate.id === ctx.params['id']);
      if (!schema) throw new ApiError(404, undefined, `schema '${ctx.params['id']}' not found`);
      return { status: 200, body: schemaResource(schema) };
    });
}

function serviceProviderConfig(maxPageSize: number): Reply {
  return {
    status: 200,
    body: {
      schemas: [SCIM_URN.serviceProviderConfig],
      patch: { supported: true },
      bulk: { supported: false, maxOperations: 0, maxPayloadSize: 0 },
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
