import { isDeepStrictEqual } from 'node:util';
import type { AttributeValue, Attributes } from '@roster/contracts';
import { SECRET_MASK, isSecretName } from './secret-mask';

/** One changed attribute as stored: [name, old value, new value] (no key names repeated per row). */
export type StoredProperty = [name: string, oldValue: AttributeValue, newValue: AttributeValue];

/**
 * Long prefixes of attribute names, stored short: the enterprise extension's URN (59 characters) is
 * most of the bytes of a create's modified properties, which each change stores three times (the
 * mapper's decision, the connector's attempted and executed write). No SCIM attribute name begins
 * with `@`, so a stored name that does is one of these.
 */
const SHORT_PREFIXES: readonly [whole: string, short: string][] = [['urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:', '@enterprise:']];

function storedName(name: string): string {
  const prefix = SHORT_PREFIXES.find(([whole]) => name.startsWith(whole));
  return prefix ? prefix[1] + name.slice(prefix[0].length) : name;
}

function wholeName(stored: string): string {
  const prefix = stored.startsWith('@') ? SHORT_PREFIXES.find(([, short]) => stored.startsWith(short)) : undefined;
  return prefix ? prefix[0] + stored.slice(prefix[1].length) : stored;
}

/** A row's modified properties as read: each attribute under its whole name. */
export function readModified(stored: StoredProperty[] | null): StoredProperty[] {
  return (stored ?? []).map(([name, oldValue, newValue]) => [wholeName(name), oldValue, newValue]);
}

/**
 * The attributes that differ between `before` and `after`, old → new: an update that changed two
 * attributes keeps those two, not both whole states. A record with only `after` (a create, a
 * connector's write) keeps every value it carries, each with no old value. Credentials are masked;
 * names are stored short (see `readModified`).
 */
export function modifiedProperties(before: Attributes | undefined, after: Attributes | undefined): StoredProperty[] {
  const old = before ?? {};
  const now = after ?? {};
  const names = [...Object.keys(now), ...Object.keys(old).filter((k) => !(k in now))];
  const changed: StoredProperty[] = [];
  for (const name of names) {
    const [from, to] = [old[name] ?? null, now[name] ?? null];
    if (isDeepStrictEqual(from, to)) continue;
    const stored = storedName(name);
    changed.push(isSecretName(name) ? [stored, from === null ? null : SECRET_MASK, to === null ? null : SECRET_MASK] : [stored, from, to]);
  }
  return changed;
}
