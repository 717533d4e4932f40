import type { AttributeMappingConfig, TargetAttribute } from '@roster/contracts';
import { DEFAULT_GOTOMEETING_MAPPING } from './default-gotomeeting.mapping';
import { DOCUMENTED_GOTO_USER_ATTRIBUTES } from './documented-goto-attributes';
import { targetCatalogOf, unsupportedTargetAttributes } from './target-attribute-catalog';
import { MappingConfigError, validateMappingConfig } from './validate-mapping-config';

const mapping = (...targets: string[]) => ({
  attributeMappings: targets.map((target): AttributeMappingConfig => ({ target, type: 'Direct', source: 'x', apply: 'Always' })),
});
const attribute = (path: string, extra: Partial<TargetAttribute> = {}): TargetAttribute => ({
  path,
  type: 'string',
  multiValued: false,
  mutability: 'readWrite',
  required: false,
  ...extra,
});

describe('the default GoToMeeting mapping', () => {
  it('sends only attributes GoTo documents: no title, no e-mails', () => {
    const documented = new Set(DOCUMENTED_GOTO_USER_ATTRIBUTES.map((a) => a.path));
    const targets = DEFAULT_GOTOMEETING_MAPPING.attributeMappings.map((m) => m.target);
    expect(targets.filter((target) => !documented.has(target))).toEqual([]);
    expect(targets).not.toContain('title');
    expect(targets.some((target) => target.startsWith('emails'))).toBe(false);
  });
});

describe('unsupportedTargetAttributes', () => {
  it('without a target schema, refuses what GoTo does not document, naming the attribute and the list', () => {
    const problems = unsupportedTargetAttributes(mapping('userName', 'title', 'emails[type eq "work"].value'), targetCatalogOf(null));
    expect(problems).toEqual([
      { index: 1, message: expect.stringMatching(/^the target does not accept attribute "title"; it publishes no schema, and GoTo documents: userName, .*timezone/) },
      { index: 2, message: expect.stringContaining('attribute "emails[type eq "work"].value"') },
    ]);
  });

  it("with the target's schema, accepts what it lists (a work e-mail) and refuses what it does not", () => {
    const catalog = targetCatalogOf({ userAttributes: [attribute('userName'), attribute('emails[type eq "work"].value')] });
    expect(catalog.source).toBe('target-schema');
    expect(unsupportedTargetAttributes(mapping('userName', 'emails[type eq "work"].value'), catalog)).toEqual([]);
    expect(unsupportedTargetAttributes(mapping('userName', 'locale'), catalog)).toEqual([
      { index: 1, message: `the target does not accept attribute "locale"; its schema lists: userName, emails[type eq "work"].value` },
    ]);
  });

  it('refuses a read-only attribute and hints at a case slip', () => {
    const catalog = targetCatalogOf({ userAttributes: [attribute('userName'), attribute('id', { mutability: 'readOnly' })] });
    expect(unsupportedTargetAttributes(mapping('id', 'username'), catalog)).toEqual([
      { index: 0, message: 'attribute "id" is read-only at the target' },
      { index: 1, message: 'the target does not accept attribute "username"; did you mean "userName"?' },
    ]);
  });
});

describe('validateMappingConfig with the target catalog', () => {
  it('refuses a mapping to an attribute the target does not accept, by position and name', () => {
    const input = {
      attributeMappings: [
        { target: 'userName', type: 'Direct', source: 'userPrincipalName', matchingPrecedence: 1 },
        { target: 'title', type: 'Direct', source: 'jobTitle' },
      ],
    };
    expect(() => validateMappingConfig(input)).not.toThrow();
    const error = (() => {
      try {
        validateMappingConfig(input, { target: targetCatalogOf(null) });
      } catch (e) {
        return e as MappingConfigError;
      }
    })();
    expect(error).toBeInstanceOf(MappingConfigError);
    expect(error!.problems).toEqual([{ path: 'attributeMappings[1] (title)', message: expect.stringContaining('does not accept attribute "title"') }]);
  });
});
