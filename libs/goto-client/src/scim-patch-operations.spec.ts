import { userPatchOperations } from './scim-patch-operations';
import { ENTERPRISE_USER_SCHEMA } from './scim-types';

describe('userPatchOperations', () => {
  it('replaces given attributes, removes those given as undefined or null, and splits name and extension', () => {
    expect(
      userPatchOperations({
        active: false,
        title: undefined,
        locale: null,
        name: { familyName: 'Murray', formatted: null },
        [ENTERPRISE_USER_SCHEMA]: { department: 'Navy', costCenter: undefined },
      }),
    ).toEqual([
      { op: 'replace', path: 'active', value: false },
      { op: 'remove', path: 'title' },
      { op: 'remove', path: 'locale' },
      { op: 'replace', path: 'name.familyName', value: 'Murray' },
      { op: 'remove', path: 'name.formatted' },
      { op: 'replace', path: `${ENTERPRISE_USER_SCHEMA}:department`, value: 'Navy' },
      { op: 'remove', path: `${ENTERPRISE_USER_SCHEMA}:costCenter` },
    ]);
  });

  it('yields nothing for no changes', () => {
    expect(userPatchOperations({})).toEqual([]);
  });
});
