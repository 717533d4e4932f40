import type { AttributeMappingConfig } from '@roster/contracts';
import { changedAttributes, compileMappings, MappingError } from './attribute-mapping';
import { DEFAULT_GOTOMEETING_MAPPING } from './default-gotomeeting.mapping';

const ada = { objectId: 'u1', userPrincipalName: 'ada@example.com', givenName: 'Ada', surname: 'Lovelace', accountEnabled: true };

describe('compileMappings', () => {
  it('maps a directory user with the default GoToMeeting mapping and its matching attribute', () => {
    const mapped = compileMappings(DEFAULT_GOTOMEETING_MAPPING.attributeMappings).map(ada, { forCreate: true });
    expect(mapped.attributes).toMatchObject({
      userName: 'ada@example.com',
      externalId: 'u1',
      active: true,
      'name.givenName': 'Ada',
      'name.familyName': 'Lovelace',
      displayName: null,
    });
    expect(mapped.matching).toEqual([{ targetAttribute: 'userName', value: 'ada@example.com', precedence: 1 }]);
  });

  it('lists the source attributes to read, from Direct mappings and expressions', () => {
    const m = compileMappings([
      { target: 'userName', type: 'Direct', source: 'userPrincipalName', apply: 'Always', matchingPrecedence: 1 },
      { target: 'displayName', type: 'Expression', expression: 'Join(" ", [givenName], [surname])', apply: 'Always' },
    ]);
    expect(m.sourceAttributes).toEqual(['givenName', 'surname', 'userPrincipalName']);
  });

  it('uses defaults and OnlyOnCreate mappings on create only; None sends nothing but its default', () => {
    const mappings: AttributeMappingConfig[] = [
      { target: 'userName', type: 'Direct', source: 'upn', apply: 'Always', matchingPrecedence: 1 },
      { target: 'locale', type: 'Direct', source: 'lang', apply: 'Always', defaultValue: 'en_US' },
      { target: 'timezone', type: 'Constant', constant: 'UTC', apply: 'OnlyOnCreate' },
      { target: 'title', type: 'None', apply: 'Always', defaultValue: 'Staff' },
    ];
    const m = compileMappings(mappings);
    expect(m.map({ upn: 'a@b.c' }, { forCreate: true }).attributes).toEqual({ userName: 'a@b.c', locale: 'en_US', timezone: 'UTC', title: 'Staff' });
    expect(m.map({ upn: 'a@b.c' }, { forCreate: false }).attributes).toEqual({ userName: 'a@b.c', locale: null });
  });

  it('evaluates expressions, leaves out IgnoreFlowIfNullOrEmpty results and marks Redact targets', () => {
    const m = compileMappings([
      { target: 'userName', type: 'Expression', expression: 'ToLower([userPrincipalName])', apply: 'Always', matchingPrecedence: 1 },
      { target: 'title', type: 'Expression', expression: 'IgnoreFlowIfNullOrEmpty([jobTitle])', apply: 'Always' },
      { target: 'password', type: 'Expression', expression: 'Redact([secret])', apply: 'Always' },
    ]);
    const mapped = m.map({ userPrincipalName: 'Ada@Example.com', secret: 's3cret' }, { forCreate: true });
    expect(mapped.attributes).toEqual({ userName: 'ada@example.com', password: 's3cret' });
    expect(mapped.redacted).toEqual(['password']);
  });

  it('refuses a user without a value for any matching attribute', () => {
    expect(() => compileMappings(DEFAULT_GOTOMEETING_MAPPING.attributeMappings).map({ givenName: 'X' }, { forCreate: true })).toThrow(
      MappingError,
    );
  });

  it('reports an expression that fails at run time as a MappingError naming the target', () => {
    const m = compileMappings([
      { target: 'userName', type: 'Direct', source: 'upn', apply: 'Always', matchingPrecedence: 1 },
      { target: 'title', type: 'Expression', expression: 'Left([upn], [count])', apply: 'Always' },
    ]);
    expect(() => m.map({ upn: 'a@b.c', count: 'many' }, { forCreate: true })).toThrow(/mapping of title failed/);
  });
});

describe('changedAttributes', () => {
  it('lists only attributes whose value changed', () => {
    expect(changedAttributes({ a: 1, b: ['x'], c: null }, { a: 1, b: ['x', 'y'], c: null, d: 'new' })).toEqual(['b', 'd']);
  });
});
