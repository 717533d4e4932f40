import { ApiError } from '../http/api-error';
import { isJsonObject, type JsonObject } from '../http/http-io';
import { attributeOf, type AttributeDef, type ResourceTypeDef, type SchemaDef } from './scim-schemas';

export interface ValidationContext {
  verifiedDomains: ReadonlySet<string>;
  /** The User resource as this emulated GoTo defines it (see the `undocumentedUserAttributes` option). */
  userResource: ResourceTypeDef;
}

/**
 * Validates a whole resource as a POST or PUT body carries it and returns its attributes without
 * `schemas`: anything not in the schema table is refused by name (400 invalidValue), as GoTo does.
 * Attribute names are matched exactly (SCIM allows any case): GoTo's tolerance is unknown, and the
 * connector should send canonical names anyway.
 */
export function validateResource(body: JsonObject, resource: ResourceTypeDef, ctx: ValidationContext): JsonObject {
  const declared = declaredSchemas(body, resource);
  const result: JsonObject = {};
  for (const [key, value] of Object.entries(body)) {
    if (key === 'schemas') continue;
    const extension = resource.extensions.find((schema) => schema.id === key);
    if (extension) {
      if (!declared.includes(key)) throw invalidSyntax(`extension '${key}' is used but not listed in 'schemas'`);
      const attributes = validateComplex(extension, value, key, ctx);
      if (attributes) result[key] = attributes;
      continue;
    }
    const attribute = attributeOf(resource.schema, key);
    if (!attribute) throw unknownAttribute(key);
    const cleaned = validateValue(attribute, value, key, ctx);
    if (cleaned !== undefined) result[key] = cleaned;
  }
  requirePresent(resource.schema.attributes, result, '');
  return result;
}

function declaredSchemas(body: JsonObject, resource: ResourceTypeDef): readonly string[] {
  const schemas = body['schemas'];
  if (!Array.isArray(schemas) || !schemas.every((s) => typeof s === 'string')) {
    throw invalidSyntax(`'schemas' must be an array listing '${resource.schema.id}'`);
  }
  const unknown = schemas.find((schema) => schema !== resource.schema.id && !resource.extensions.some((extension) => extension.id === schema));
  if (unknown) throw invalidSyntax(`schema '${unknown}' is not supported for ${resource.name}`);
  if (!schemas.includes(resource.schema.id)) throw invalidSyntax(`'schemas' must list '${resource.schema.id}'`);
  return schemas;
}

/** Validates one attribute value; null means "unassigned" in SCIM and yields undefined. */
export function validateValue(attribute: AttributeDef, value: unknown, path: string, ctx: ValidationContext): unknown {
  if (value === null || value === undefined) return undefined;
  if (!attribute.multiValued) return validateSingle(attribute, value, path, ctx);
  if (!Array.isArray(value)) throw invalidValue(`'${path}' must be an array`);
  const items = value.map((item, index) => validateSingle(attribute, item, `${path}[${index}]`, ctx));
  if (items.filter((item) => isJsonObject(item) && item['primary'] === true).length > 1) {
    throw invalidValue(`'${path}' may have at most one primary value`);
  }
  return items.length > 0 ? items : undefined;
}

function validateSingle(attribute: AttributeDef, value: unknown, path: string, ctx: ValidationContext): unknown {
  switch (attribute.type) {
    case 'boolean':
      if (typeof value !== 'boolean') throw invalidValue(`'${path}' must be a boolean`);
      return value;
    case 'complex':
      return validateComplex({ attributes: attribute.subAttributes ?? [] }, value, path, ctx);
    case 'string':
    case 'reference':
      if (typeof value !== 'string') throw invalidValue(`'${path}' must be a string`);
      checkString(attribute, value, path, ctx);
      return value;
  }
}

function validateComplex(
  schema: Pick<SchemaDef, 'attributes'>,
  value: unknown,
  path: string,
  ctx: ValidationContext,
): JsonObject | undefined {
  if (!isJsonObject(value)) throw invalidValue(`'${path}' must be an object`);
  const result: JsonObject = {};
  for (const [key, subValue] of Object.entries(value)) {
    const sub = schema.attributes.find((attribute) => attribute.name === key);
    if (!sub) throw unknownAttribute(`${path}.${key}`);
    const cleaned = validateValue(sub, subValue, `${path}.${key}`, ctx);
    if (cleaned !== undefined) result[key] = cleaned;
  }
  requirePresent(schema.attributes, result, `${path}.`);
  return Object.keys(result).length > 0 ? result : undefined;
}

function requirePresent(attributes: readonly AttributeDef[], value: JsonObject, prefix: string): void {
  const missing = attributes.find((attribute) => attribute.required && value[attribute.name] === undefined);
  if (missing) throw invalidValue(`'${prefix}${missing.name}' is required`);
}

function checkString(attribute: AttributeDef, value: string, path: string, ctx: ValidationContext): void {
  if (attribute.required && value.trim() === '') throw invalidValue(`'${path}' must not be empty`);
  if (attribute.maxLength !== undefined && value.length > attribute.maxLength) {
    throw invalidValue(`'${path}' is longer than ${attribute.maxLength} characters`);
  }
  const canonical = attribute.canonicalValues;
  if (canonical && !canonical.some((allowed) => allowed.toLowerCase() === value.toLowerCase())) {
    throw invalidValue(`'${path}' must be one of ${canonical.join(', ')}`);
  }
  if (attribute.check === 'verified-email') checkVerifiedEmail(value, path, ctx);
  if (attribute.check === 'locale' && !/^[a-z]{2,3}([-_][A-Z]{2})?$/.test(value)) {
    throw invalidValue(`'${path}' must be an ISO-639 language, optionally with an ISO-3166 country (en, en-US, en_US)`);
  }
  if (attribute.check === 'timezone' && !isTimeZone(value)) throw invalidValue(`'${path}' is not a valid time zone`);
}

function checkVerifiedEmail(value: string, path: string, ctx: ValidationContext): void {
  const match = /^[^@\s]+@([^@\s]+\.[^@\s]+)$/.exec(value);
  if (!match) throw invalidValue(`'${path}' must be an e-mail address`);
  const domain = match[1]!.toLowerCase();
  if (!ctx.verifiedDomains.has(domain)) {
    throw invalidValue(`'${path}' uses domain '${domain}', which is not a verified domain of the organisation`);
  }
}

const timeZones = new Map<string, boolean>();

function isTimeZone(zone: string): boolean {
  let valid = timeZones.get(zone);
  if (valid === undefined) {
    try {
      new Intl.DateTimeFormat('en', { timeZone: zone });
      valid = true;
    } catch {
      valid = false;
    }
    timeZones.set(zone, valid);
  }
  return valid;
}

export function invalidSyntax(detail: string): ApiError {
  return new ApiError(400, 'invalidSyntax', detail);
}

/** GoTo's words for an attribute it does not know, naming it so the client can tell which mapping to fix. */
export function unknownAttribute(name: string): ApiError {
  return invalidValue(`Unknown attribute "${name}"`);
}

export function invalidValue(detail: string): ApiError {
  return new ApiError(400, 'invalidValue', detail);
}
