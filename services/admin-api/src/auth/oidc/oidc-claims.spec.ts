import { roleOf, rolesIn, subjectNameOf } from './oidc-claims';

const mapping = { claim: 'roles', adminRoles: ['Roster.Admin'], readerRoles: ['Roster.Reader', 'Auditor'] };

describe('OIDC claims', () => {
  it('maps Entra app roles to admin before reader, and nothing else to a role', () => {
    expect(roleOf({ roles: ['Roster.Reader', 'Roster.Admin'] }, mapping)).toBe('admin');
    expect(roleOf({ roles: ['Auditor'] }, mapping)).toBe('reader');
    expect(roleOf({ roles: ['roster.admin', 'Other'] }, mapping)).toBeUndefined();
    expect(roleOf({ roles: 'Roster.Admin' }, { ...mapping, claim: 'scope' })).toBeUndefined();
    expect(roleOf({}, mapping)).toBeUndefined();
  });

  it('reads roles from a nested claim or a space-separated string, ignoring what is not a string', () => {
    expect(rolesIn({ realm_access: { roles: ['a', 7, 'b'] } }, 'realm_access.roles')).toEqual(['a', 'b']);
    expect(rolesIn({ scope: 'openid  Roster.Admin' }, 'scope')).toEqual(['openid', 'Roster.Admin']);
    expect(rolesIn({ realm_access: 'x' }, 'realm_access.roles')).toEqual([]);
  });

  it('names a person by user name and an application by its client id', () => {
    expect(subjectNameOf({ sub: 's', preferred_username: 'ada@example.com' })).toBe('ada@example.com');
    expect(subjectNameOf({ sub: 's', azp: '0b4c-client' })).toBe('0b4c-client');
    expect(subjectNameOf({ sub: 's' })).toBe('s');
    expect(subjectNameOf({})).toBe('unknown subject');
  });
});
