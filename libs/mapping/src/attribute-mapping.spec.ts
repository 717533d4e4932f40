import { changedAttributes, mapUser, MappingError, type AttributeMapping } from './attribute-mapping';
import { DEFAULT_GOTOMEETING_MAPPINGS } from './default-gotomeeting.mapping';

describe('mapUser', () => {
  const ada = { objectId: 'u1', userPrincipalName: 'ada@example.com', givenName: 'Ada', surname: 'Lovelace', accountEnabled: true };

  it('maps a directory user with the default GoToMeeting mapping and its matching attribute', () => {
    const mapped = mapUser(DEFAULT_GOTOMEETING_MAPPINGS, ada, true);
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

  it('uses defaults and OnlyOnCreate mappings on create only', () => {
    const mappings: AttributeMapping[] = [
      { target: 'userName', type: 'Direct', source: 'upn', apply: 'Always', matchingPrecedence: 1 },
      { target: 'locale', type: 'Direct', source: 'lang', apply: 'Always', defaultValue: 'en_US' },
      { target: 'timezone', type: 'Constant', constant: 'UTC', apply: 'OnlyOnCreate' },
    ];
    expect(mapUser(mappings, { upn: 'a@b.c' }, true).attributes).toEqual({ userName: 'a@b.c', locale: 'en_US', timezone: 'UTC' });
    expect(mapUser(mappings, { upn: 'a@b.c' }, false).attributes).toEqual({ userName: 'a@b.c', locale: null });
  });

  it('refuses a user without a value for any matching attribute', () => {
    expect(() => mapUser(DEFAULT_GOTOMEETING_MAPPINGS, { givenName: 'X' }, true)).toThrow(MappingError);
  });
});

describe('changedAttributes', () => {
  it('lists only attributes whose value changed', () => {
    expect(changedAttributes({ a: 1, b: ['x'], c: null }, { a: 1, b: ['x', 'y'], c: null, d: 'new' })).toEqual(['b', 'd']);
  });
});
