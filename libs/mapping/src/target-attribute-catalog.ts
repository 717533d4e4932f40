import type { MappingConfig, TargetAttribute, TargetProfile } from '@roster/contracts';
import { DOCUMENTED_GOTO_USER_ATTRIBUTES } from './documented-goto-attributes';

/** The attributes a mapping may write, and where that list comes from (named in every refusal). */
export interface TargetAttributeCatalog {
  attributes: readonly TargetAttribute[];
  source: 'target-schema' | 'documented';
}

/** The target's own schema when the connector could read one, else GoTo's documented attributes. */
export function targetCatalogOf(profile: Pick<TargetProfile, 'userAttributes'> | null): TargetAttributeCatalog {
  return profile?.userAttributes
    ? { attributes: profile.userAttributes, source: 'target-schema' }
    : { attributes: DOCUMENTED_GOTO_USER_ATTRIBUTES, source: 'documented' };
}

export interface TargetAttributeProblem {
  /** Index in attributeMappings. */
  index: number;
  message: string;
}

/**
 * Mappings whose target attribute the target does not accept: every create or update carrying it
 * would be refused (GoTo: 400 invalidValue), so such a mapping is refused when it is saved instead.
 * Paths compare exactly, as the target compares them; a case slip gets a hint.
 */
export function unsupportedTargetAttributes(config: Pick<MappingConfig, 'attributeMappings'>, catalog: TargetAttributeCatalog): TargetAttributeProblem[] {
  const byPath = new Map(catalog.attributes.map((attribute) => [attribute.path, attribute]));
  const listed = catalog.source === 'target-schema' ? 'its schema lists' : 'it publishes no schema, and GoTo documents';
  const problems: TargetAttributeProblem[] = [];
  config.attributeMappings.forEach(({ target }, index) => {
    const attribute = byPath.get(target);
    if (attribute?.mutability === 'readOnly') {
      problems.push({ index, message: `attribute "${target}" is read-only at the target` });
    } else if (!attribute) {
      const near = catalog.attributes.find((candidate) => candidate.path.toLowerCase() === target.toLowerCase());
      const writable = catalog.attributes.filter((candidate) => candidate.mutability !== 'readOnly').map((candidate) => candidate.path);
      problems.push({
        index,
        message: near
          ? `the target does not accept attribute "${target}"; did you mean "${near.path}"?`
          : `the target does not accept attribute "${target}"; ${listed}: ${writable.join(', ')}`,
      });
    }
  });
  return problems;
}
