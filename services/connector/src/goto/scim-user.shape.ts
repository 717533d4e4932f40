import type { Attributes, AttributeValue } from '@roster/contracts';

const CORE_USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
const EXTENSION = /^(urn:[^ ]+):([A-Za-z0-9_]+)$/;
const TYPED_MULTI_VALUE = /^([A-Za-z]+)\[type eq "([^"]+)"\]\.value$/;

export type ScimObject = Record<string, unknown>;

/**
 * Turns flat target attributes keyed by SCIM path (`name.givenName`, `emails[type eq "work"].value`,
 * `urn:…:enterprise:2.0:User:department`) into the SCIM resource a create sends. An attribute
 * without a value (null or "") is left out: SCIM has no empty value, and GoTo may refuse `""`.
 */
export function toScimUser(attributes: Attributes): ScimObject {
  const user: ScimObject = {};
  const schemas = new Set<string>([CORE_USER]);
  for (const [path, value] of Object.entries(attributes)) {
    if (value === null || value === '') continue;
    const ext = EXTENSION.exec(path);
    const multi = TYPED_MULTI_VALUE.exec(path);
    if (ext && !multi) {
      schemas.add(ext[1]);
      setIn(user, [ext[1], ext[2]], value);
    } else if (multi) {
      user[multi[1]] = [{ type: multi[2], value, primary: true }];
    } else {
      setIn(user, path.split('.'), value);
    }
  }
  return { schemas: [...schemas], ...user };
}

/** Attributes GoTo keeps about the resource itself, never mapped. */
const RESOURCE_ONLY = new Set(['schemas', 'id', 'meta']);

/**
 * The inverse of toScimUser: a SCIM user as GoTo answered it, flattened to the attribute paths a
 * mapping names, so what GoTo holds can be compared with what Roster wants, path by path.
 */
export function fromScimUser(user: ScimObject): Attributes {
  const flat: Attributes = {};
  for (const [key, value] of Object.entries(user)) {
    if (RESOURCE_ONLY.has(key) || value === undefined) continue;
    if (key.startsWith('urn:') && isObject(value)) {
      for (const [attribute, v] of Object.entries(value)) flat[`${key}:${attribute}`] = v as AttributeValue;
    } else if (Array.isArray(value) && value.length > 0 && value.every((v) => isObject(v) && typeof v['type'] === 'string' && 'value' in v)) {
      for (const v of value as ScimObject[]) flat[`${key}[type eq "${v['type'] as string}"].value`] = v['value'] as AttributeValue;
    } else if (isObject(value)) {
      for (const [path, v] of Object.entries(fromScimUser(value))) flat[`${key}.${path}`] = v;
    } else {
      flat[key] = value as AttributeValue;
    }
  }
  return flat;
}

const isObject = (value: unknown): value is ScimObject => typeof value === 'object' && value !== null && !Array.isArray(value);

function setIn(target: ScimObject, path: string[], value: AttributeValue): void {
  let node = target;
  for (const key of path.slice(0, -1)) {
    node[key] = (node[key] as ScimObject | undefined) ?? {};
    node = node[key] as ScimObject;
  }
  node[path.at(-1)!] = value;
}
