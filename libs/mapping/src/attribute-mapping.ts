import type { AttributeValue, Attributes, MatchingAttribute } from '@roster/contracts';

/**
 * One target attribute's mapping, shaped like Entra's: Direct (a source attribute) or Constant,
 * a default used on create when the source is null, when to apply it, and an optional matching
 * precedence (1 = tried first) used to find an existing account before creating one.
 */
export interface AttributeMapping {
  target: string;
  type: 'Direct' | 'Constant';
  source?: string;
  constant?: AttributeValue;
  defaultValue?: AttributeValue;
  apply: 'Always' | 'OnlyOnCreate';
  matchingPrecedence?: number;
}

export interface MappedUser {
  attributes: Attributes;
  matching: MatchingAttribute[];
}

export class MappingError extends Error {
  override readonly name = 'MappingError';
}

/** Computes the target view of a directory user. `forCreate` applies defaults and OnlyOnCreate mappings. */
export function mapUser(mappings: AttributeMapping[], source: Attributes, forCreate: boolean): MappedUser {
  const attributes: Attributes = {};
  for (const m of mappings) {
    if (m.apply === 'OnlyOnCreate' && !forCreate) continue;
    let value = m.type === 'Constant' ? (m.constant ?? null) : (source[m.source ?? ''] ?? null);
    if ((value === null || value === '') && forCreate && m.defaultValue !== undefined) value = m.defaultValue;
    attributes[m.target] = value;
  }
  const matching = mappings
    .filter((m) => m.matchingPrecedence !== undefined)
    .sort((a, b) => a.matchingPrecedence! - b.matchingPrecedence!)
    .flatMap((m) => {
      const value = attributes[m.target];
      return typeof value === 'string' && value !== '' ? [{ targetAttribute: m.target, value, precedence: m.matchingPrecedence! }] : [];
    });
  if (matching.length === 0) {
    throw new MappingError(
      `no matching attribute has a value (${mappings.filter((m) => m.matchingPrecedence).map((m) => m.target).join(', ')})`,
    );
  }
  return { attributes, matching };
}

/** Target attributes whose value differs; arrays compare by content. */
export function changedAttributes(before: Attributes, after: Attributes): string[] {
  return Object.keys(after).filter((k) => JSON.stringify(before[k] ?? null) !== JSON.stringify(after[k] ?? null));
}
