import { fromScimUser, toScimUser } from './scim-user.shape';

const ENT = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';

describe('toScimUser', () => {
  it('nests complex, multi-valued and extension attributes, declares the schemas used, and leaves out nulls', () => {
    expect(
      toScimUser(
        {
          userName: 'ada@example.com',
          'name.givenName': 'Ada',
          'emails[type eq "work"].value': 'ada@example.com',
          [`${ENT}:department`]: 'R&D',
          displayName: null,
          locale: '',
        },
      ),
    ).toEqual({
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:User', ENT],
      userName: 'ada@example.com',
      name: { givenName: 'Ada' },
      emails: [{ type: 'work', value: 'ada@example.com', primary: true }],
      [ENT]: { department: 'R&D' },
    });
  });

  it('leaves out attributes without a value, empty strings included, instead of sending ""', () => {
    expect(toScimUser({ userName: 'ada@example.com', displayName: '', 'emails[type eq "work"].value': '', [`${ENT}:department`]: null })).toEqual({
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
      userName: 'ada@example.com',
    });
  });
});

describe('fromScimUser', () => {
  it('flattens what GoTo answers to the paths a mapping names: the inverse of toScimUser', () => {
    const attributes = {
      userName: 'ada@example.com',
      active: false,
      'name.givenName': 'Ada',
      'name.familyName': 'Lovelace',
      'emails[type eq "work"].value': 'ada@example.com',
      [`${ENT}:department`]: 'R&D',
      roles: [{ value: 'admin', primary: true }],
    };
    const answered = { ...toScimUser(attributes), id: '42', meta: { created: '2026-01-01T00:00:00Z' } };
    expect(fromScimUser(answered)).toEqual(attributes);
  });
});
