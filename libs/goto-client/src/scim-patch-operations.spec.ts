import { userPatchOperations } from './scim-patch-operations';
import { ENTERPRISE_USER_SCHEMA } from './scim-types';

describe('userPatchOperations', () => {
  it('replaces each given path and removes those given as undefined or null', () => {
    expect(
      userPatchOperations({
        active: false,
        displayName: undefined,
        locale: null,
        'name.familyName': 'Murray',
        [`${ENTERPRISE_USER_SCHEMA}:department`]: 'Navy',
        [`${ENTERPRISE_USER_SCHEMA}:costCenter`]: undefined,
      }),
    ).toEqual([
      { op: 'replace', path: 'active', value: false },
      { op: 'remove', path: 'displayName' },
      { op: 'remove', path: 'locale' },
      { op: 'replace', path: 'name.familyName', value: 'Murray' },
      { op: 'replace', path: `${ENTERPRISE_USER_SCHEMA}:department`, value: 'Navy' },
      { op: 'remove', path: `${ENTERPRISE_USER_SCHEMA}:costCenter` },
    ]);
  });

  it('addresses the work e-mail alone, never every address under "emails"', () => {
    expect(userPatchOperations({ 'emails[type eq "work"].value': 'ada@example.com' })).toEqual([
      { op: 'replace', path: 'emails[type eq "work"].value', value: 'ada@example.com' },
    ]);
    expect(userPatchOperations({ 'emails[type eq "work"].value': null })).toEqual([{ op: 'remove', path: 'emails[type eq "work"]' }]);
  });

  it('removes an attribute whose value is empty instead of sending ""', () => {
    expect(userPatchOperations({ displayName: '', 'emails[type eq "work"].value': '' })).toEqual([
      { op: 'remove', path: 'displayName' },
      { op: 'remove', path: 'emails[type eq "work"]' },
    ]);
  });

  it('yields nothing for no changes', () => {
    expect(userPatchOperations({})).toEqual([]);
  });
});
