import { toScimUser } from './scim-user.shape';

const ENT = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';

describe('toScimUser', () => {
  it('nests complex, multi-valued and extension attributes and declares the schemas used', () => {
    expect(
      toScimUser(
        {
          userName: 'ada@example.com',
          'name.givenName': 'Ada',
          'emails[type eq "work"].value': 'ada@example.com',
          [`${ENT}:department`]: 'R&D',
          title: null,
        },
        { keepNulls: false },
      ),
    ).toEqual({
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:User', ENT],
      userName: 'ada@example.com',
      name: { givenName: 'Ada' },
      emails: [{ type: 'work', value: 'ada@example.com', primary: true }],
      [ENT]: { department: 'R&D' },
    });
  });

  it('keeps nulls for updates so the attribute is cleared', () => {
    expect(toScimUser({ title: null }, { keepNulls: true })).toMatchObject({ title: null });
  });
});
