import { isJsonObject, type JsonObject } from '../http/http-io';
import { parseAttributePath, invalidPath, type AttributePath, type PatchOperation } from './scim-patch-request';
import { SCIM_URN, attributeOf, subAttributeOf, type AttributeDef, type ResourceTypeDef } from './scim-schemas';
import { invalidValue } from './scim-validator';

/**
 * Applies PatchOp operations to a copy of a user's attributes. The result is not trusted: the caller
 * validates it as a whole resource, so a patch can never store what a POST would refuse.
 */
export function applyUserPatch(attributes: Readonly<JsonObject>, operations: readonly PatchOperation[], resource: ResourceTypeDef): JsonObject {
  const document = structuredClone(attributes) as JsonObject;
  for (const { op, path, value } of operations) {
    if (path !== undefined) {
      applyAtPath(document, op, path, value, resource);
      continue;
    }
    // Without a path the value holds attribute → value pairs; Entra also uses dotted and URN-prefixed keys there.
    if (!isJsonObject(value)) throw invalidValue(`${op} without a path needs an object value`);
    for (const [key, item] of Object.entries(value)) applyAtPath(document, op, key, item, resource);
  }
  return document;
}

function applyAtPath(document: JsonObject, op: PatchOperation['op'], rawPath: string, value: unknown, resource: ResourceTypeDef): void {
  const path = parseAttributePath(rawPath, SCIM_URN.user, [SCIM_URN.enterpriseUser]);
  if (path.extension && path.attribute === undefined) {
    if (op === 'remove') delete document[path.extension];
    else document[path.extension] = mergeObjects(document[path.extension], value, rawPath);
    return;
  }
  const schema = path.extension ? resource.extensions.find((extension) => extension.id === path.extension) : resource.schema;
  const attribute = schema && attributeOf(schema, path.attribute!);
  if (!attribute) throw invalidPath(rawPath);
  const container = path.extension ? extensionContainer(document, path.extension) : document;
  if (path.filter) applyFiltered(container, attribute, path, op, value, rawPath);
  else if (path.subAttribute) applySubAttribute(container, attribute, path.subAttribute, op, value, rawPath);
  else applyWhole(container, attribute, op, value, rawPath);
}

function applyWhole(container: JsonObject, attribute: AttributeDef, op: PatchOperation['op'], value: unknown, rawPath: string): void {
  const name = attribute.name;
  if (op === 'remove') {
    // Entra removes single values of a multi-valued attribute by listing them in `value`.
    if (attribute.multiValued && Array.isArray(value)) {
      const removed = new Set(value.map((item) => (isJsonObject(item) ? item['value'] : item)));
      container[name] = itemsOf(container[name]).filter((item) => !removed.has(item['value']));
    } else {
      delete container[name];
    }
  } else if (attribute.multiValued) {
    const items = Array.isArray(value) ? value : [value];
    container[name] = op === 'add' ? [...itemsOf(container[name]), ...items] : items;
  } else if (attribute.type === 'complex') {
    // RFC 7644 §3.5.2: sub-attributes not named in the value stay as they are.
    container[name] = mergeObjects(container[name], value, rawPath);
  } else {
    container[name] = value;
  }
}

function applySubAttribute(
  container: JsonObject,
  attribute: AttributeDef,
  subAttribute: string,
  op: PatchOperation['op'],
  value: unknown,
  rawPath: string,
): void {
  if (attribute.multiValued) throw invalidPath(rawPath, 'needs a value filter, such as emails[type eq "work"].value');
  if (!subAttributeOf(attribute, subAttribute)) throw invalidPath(rawPath);
  const parent = isJsonObject(container[attribute.name]) ? (container[attribute.name] as JsonObject) : {};
  if (op === 'remove') delete parent[subAttribute];
  else parent[subAttribute] = value;
  container[attribute.name] = parent;
}

function applyFiltered(
  container: JsonObject,
  attribute: AttributeDef,
  path: AttributePath,
  op: PatchOperation['op'],
  value: unknown,
  rawPath: string,
): void {
  const { filter, subAttribute } = path;
  if (!filter || !attribute.multiValued) throw invalidPath(rawPath, 'filters only multi-valued attributes');
  if (!subAttributeOf(attribute, filter.attribute) || (subAttribute && !subAttributeOf(attribute, subAttribute))) {
    throw invalidPath(rawPath);
  }
  const items = itemsOf(container[attribute.name]);
  const matches = items.filter((item) => sameText(item[filter.attribute], filter.value));
  if (op === 'remove') {
    if (subAttribute) matches.forEach((item) => delete item[subAttribute]);
    else container[attribute.name] = items.filter((item) => !matches.includes(item));
    return;
  }
  // Entra adds a work e-mail with `emails[type eq "work"].value` when the user has none yet.
  if (matches.length === 0) {
    const created: JsonObject = { [filter.attribute]: filter.value };
    items.push(created);
    matches.push(created);
  }
  for (const item of matches) {
    if (subAttribute) item[subAttribute] = value;
    else if (isJsonObject(value)) Object.assign(item, value);
    else throw invalidValue(`'${rawPath}' needs an object value`);
  }
  container[attribute.name] = items;
}

function extensionContainer(document: JsonObject, urn: string): JsonObject {
  const current = document[urn];
  if (isJsonObject(current)) return current;
  const created: JsonObject = {};
  document[urn] = created;
  return created;
}

function mergeObjects(current: unknown, value: unknown, rawPath: string): JsonObject {
  if (!isJsonObject(value)) throw invalidValue(`'${rawPath}' needs an object value`);
  return { ...(isJsonObject(current) ? current : {}), ...value };
}

function itemsOf(value: unknown): JsonObject[] {
  return Array.isArray(value) ? value.filter(isJsonObject) : [];
}

/** Filter values compare without case: the filtered sub-attributes (type, value) are not case-exact. */
function sameText(actual: unknown, expected: string): boolean {
  return typeof actual === 'string' && actual.toLowerCase() === expected.toLowerCase();
}
