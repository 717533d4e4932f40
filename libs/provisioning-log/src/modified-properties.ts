import { isDeepStrictEqual } from 'node:util';
import type { AttributeValue, Attributes } from '@roster/contracts';
import { SECRET_MASK, isSecretName } from './secret-mask';

/** One changed attribute as stored: [name, old value, new value] (no key names repeated per row). */
export type StoredProperty = [name: string, oldValue: AttributeValue, newValue: AttributeValue];

/**
 * The attributes that differ between `before` and `after`, old → new: an update that changed two
 * attributes keeps those two, not both whole states. A record with only `after` (a create, a
 * connector's write) keeps every value it carries, each with no old value. Credentials are masked.
 */
export function modifiedProperties(before: Attributes | undefined, after: Attributes | undefined): StoredProperty[] {
  const old = before ?? {};
  const now = after ?? {};
  const names = [...Object.keys(now), ...Object.keys(old).filter((k) => !(k in now))];
  const changed: StoredProperty[] = [];
  for (const name of names) {
    const [from, to] = [old[name] ?? null, now[name] ?? null];
    if (isDeepStrictEqual(from, to)) continue;
    changed.push(isSecretName(name) ? [name, from === null ? null : SECRET_MASK, to === null ? null : SECRET_MASK] : [name, from, to]);
  }
  return changed;
}
