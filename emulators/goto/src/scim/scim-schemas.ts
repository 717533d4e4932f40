/**
 * The attributes GoTo's SCIM service accepts, as one table that drives request validation, PATCH path
 * resolution and the `/Schemas` discovery document, so the three cannot disagree.
 */
export const SCIM_URN = {
  user: 'urn:ietf:params:scim:schemas:core:2.0:User',
  enterpriseUser: 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User',
  group: 'urn:ietf:params:scim:schemas:core:2.0:Group',
  listResponse: 'urn:ietf:params:scim:api:messages:2.0:ListResponse',
  patchOp: 'urn:ietf:params:scim:api:messages:2.0:PatchOp',
  bulkRequest: 'urn:ietf:params:scim:api:messages:2.0:BulkRequest',
  bulkResponse: 'urn:ietf:params:scim:api:messages:2.0:BulkResponse',
  error: 'urn:ietf:params:scim:api:messages:2.0:Error',
  serviceProviderConfig: 'urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig',
  schema: 'urn:ietf:params:scim:schemas:core:2.0:Schema',
  resourceType: 'urn:ietf:params:scim:schemas:core:2.0:ResourceType',
} as const;

/** Checks beyond type and length. */
export type AttributeCheck = 'verified-email' | 'locale' | 'timezone';

export interface AttributeDef {
  name: string;
  type: 'string' | 'boolean' | 'complex' | 'reference';
  description: string;
  required?: boolean;
  multiValued?: boolean;
  maxLength?: number;
  /** Enforced by the stores (case-insensitive), declared here for `/Schemas`. */
  uniqueness?: 'server';
  canonicalValues?: string[];
  check?: AttributeCheck;
  subAttributes?: AttributeDef[];
}

export interface SchemaDef {
  id: string;
  name: string;
  description: string;
  attributes: AttributeDef[];
}

export interface ResourceTypeDef {
  name: 'User' | 'Group';
  /** Relative to the SCIM base, as RFC 7643 §6 writes it. */
  endpoint: '/Users' | '/Groups';
  schema: SchemaDef;
  extensions: SchemaDef[];
}

const text = (name: string, description: string, extra: Partial<AttributeDef> = {}): AttributeDef => ({
  name,
  type: 'string',
  description,
  ...extra,
});

/**
 * The user attributes GoTo documents: the Entra tutorial's (userName, externalId, active,
 * name.givenName, name.familyName) and the Citrix SCIM spec's (displayName, locale, timezone). Nothing
 * else: GoTo answers `400 invalidValue: Unknown attribute` for anything it does not know.
 */
export const USER_SCHEMA: SchemaDef = {
  id: SCIM_URN.user,
  name: 'User',
  description: 'GoTo user',
  attributes: [
    // The Citrix spec limits userName to 128 characters and requires a verified organisation domain.
    text('userName', 'Sign-in e-mail', { required: true, maxLength: 128, check: 'verified-email', uniqueness: 'server' }),
    text('externalId', 'Identifier in the provisioning client'),
    { name: 'active', type: 'boolean', description: 'false suspends the user without deleting' },
    text('displayName', 'Name shown to others'),
    {
      name: 'name',
      type: 'complex',
      description: 'Components of the user name',
      required: true,
      subAttributes: [
        text('givenName', 'First name', { required: true, maxLength: 60 }),
        text('familyName', 'Last name', { required: true, maxLength: 60 }),
      ],
    },
    text('locale', 'ISO-639 language, optionally with ISO-3166 country', { check: 'locale' }),
    text('timezone', 'IANA time zone', { check: 'timezone' }),
  ],
};

/** Core SCIM user attributes no GoTo document lists, which an emulated GoTo may be told to accept. */
export type UndocumentedUserAttribute = 'emails' | 'title';

export const UNDOCUMENTED_USER_ATTRIBUTES: Readonly<Record<UndocumentedUserAttribute, AttributeDef>> = {
  emails: {
    name: 'emails',
    type: 'complex',
    multiValued: true,
    description: 'E-mail addresses',
    subAttributes: [
      text('value', 'Address', { required: true, check: 'verified-email' }),
      text('type', 'Kind of address', { canonicalValues: ['work', 'home', 'other'] }),
      { name: 'primary', type: 'boolean', description: 'The preferred address; at most one' },
    ],
  },
  title: text('title', 'Job title'),
};

export const ENTERPRISE_USER_SCHEMA: SchemaDef = {
  id: SCIM_URN.enterpriseUser,
  name: 'EnterpriseUser',
  description: 'Enterprise user extension (the attributes Microsoft Entra maps for GoTo)',
  attributes: [
    text('department', 'Department'),
    text('employeeNumber', 'Employee number'),
    text('costCenter', 'Cost center'),
    text('division', 'Division'),
  ],
};

export const GROUP_SCHEMA: SchemaDef = {
  id: SCIM_URN.group,
  name: 'Group',
  description: 'GoTo group',
  attributes: [
    text('displayName', 'Group name, unique in the organisation', { required: true, maxLength: 128, uniqueness: 'server' }),
    text('externalId', 'Identifier in the provisioning client'),
    {
      name: 'members',
      type: 'complex',
      multiValued: true,
      description: 'Member users',
      subAttributes: [
        text('value', 'Member id', { required: true }),
        text('display', 'Member name'),
        text('type', 'Member kind', { canonicalValues: ['User'] }),
        { name: '$ref', type: 'reference', description: 'Member URI' },
      ],
    },
  ],
};

/** The User resource type of an emulated GoTo: the documented attributes plus any undocumented ones it is told to accept. */
export function userResourceType(undocumented: readonly UndocumentedUserAttribute[] = []): ResourceTypeDef {
  const schema = { ...USER_SCHEMA, attributes: [...USER_SCHEMA.attributes, ...undocumented.map((name) => UNDOCUMENTED_USER_ATTRIBUTES[name])] };
  return { name: 'User', endpoint: '/Users', schema, extensions: [ENTERPRISE_USER_SCHEMA] };
}

export const GROUP_RESOURCE: ResourceTypeDef = { name: 'Group', endpoint: '/Groups', schema: GROUP_SCHEMA, extensions: [] };

export function attributeOf(schema: SchemaDef, name: string): AttributeDef | undefined {
  return schema.attributes.find((attribute) => attribute.name === name);
}

export function subAttributeOf(attribute: AttributeDef, name: string): AttributeDef | undefined {
  return attribute.subAttributes?.find((sub) => sub.name === name);
}
