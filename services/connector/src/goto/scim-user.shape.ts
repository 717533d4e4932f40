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

function setIn(target: ScimObject, path: string[], value: AttributeValue): void {
  let node = target;
  for (const key of path.slice(0, -1)) {
    node[key] = (node[key] as ScimObject | undefined) ?? {};
    node = node[key] as ScimObject;
  }
  node[path.at(-1)!] = value;
}
