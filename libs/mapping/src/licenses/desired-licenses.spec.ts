import { appRolesOf } from '@roster/contracts';
import { desiredLicenses, sameLicenses } from './desired-licenses';
import { checkLicenseKeys } from './license-check';

describe('license keys of a user’s roles', () => {
  const mapping = { byAppRole: { a: ['1', '2'], b: ['2', '3'] }, removeOnDisable: false };

  it('is the sorted union over the roles of every assignment, direct or through a group', () => {
    const roles = appRolesOf([{ kind: 'group', groupId: 'g', appRoleId: 'b' }, { kind: 'direct', appRoleId: 'a' }, { kind: 'all-users' }]);
    expect(roles).toEqual(['a', 'b']);
    expect(desiredLicenses(mapping, roles)).toEqual(['1', '2', '3']);
    expect(desiredLicenses(mapping, ['c'])).toEqual([]);
  });

  it('is null (licenses left alone) when the job maps none or the roles are unknown', () => {
    expect(desiredLicenses(undefined, ['a'])).toBeNull();
    expect(desiredLicenses({ byAppRole: {}, removeOnDisable: true }, ['a'])).toBeNull();
    expect(desiredLicenses(mapping, null)).toBeNull();
  });

  it('compares sets of keys in any order', () => {
    expect(sameLicenses(['1', '2'], ['2', '1'])).toBe(true);
    expect(sameLicenses(['1'], ['1', '2'])).toBe(false);
    expect(sameLicenses(null, [])).toBe(false);
  });
});

describe('checkLicenseKeys', () => {
  it('names every configured key the account lacks and reports free seats of the others', () => {
    const check = checkLicenseKeys({ byAppRole: { a: ['1', '9'], b: ['1', '2'] }, removeOnDisable: false }, [
      { key: '1', description: 'GoToMeeting Business', products: ['G2M'], seats: { total: 10, used: 7 } },
      { key: '2', products: ['G2W'] },
    ]);
    expect(check.unknownKeys).toEqual([{ path: 'licenses.byAppRole.a[1]', key: '9' }]);
    expect(check.licenses).toEqual([
      { key: '1', description: 'GoToMeeting Business', products: ['G2M'], freeSeats: 3, appRoles: ['a', 'b'] },
      { key: '2', products: ['G2W'], freeSeats: null, appRoles: ['b'] },
    ]);
  });
});
