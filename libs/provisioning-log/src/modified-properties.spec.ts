import { modifiedProperties, readModified } from './modified-properties';
import { SECRET_MASK, maskSecrets } from './secret-mask';

describe('modifiedProperties', () => {
  const before = { userName: 'ada@example.com', 'name.givenName': 'Ada', 'name.familyName': 'Byron', department: 'Maths', active: true, roles: ['a'] };

  it('keeps an update that changed two attributes as those two, old → new', () => {
    const after = { ...before, 'name.familyName': 'Lovelace', department: 'Computing' };
    expect(modifiedProperties(before, after)).toEqual([
      ['name.familyName', 'Byron', 'Lovelace'],
      ['department', 'Maths', 'Computing'],
    ]);
  });

  it('keeps every value of a record without a former state (a create, a write), and a removed attribute as old → null', () => {
    expect(modifiedProperties(undefined, { userName: 'ada@example.com', title: null })).toEqual([['userName', null, 'ada@example.com']]);
    const { department: _gone, ...without } = before;
    expect(modifiedProperties(before, without)).toEqual([['department', 'Maths', null]]);
  });

  it('compares multi-valued attributes by value', () => {
    expect(modifiedProperties(before, { ...before, roles: ['a'] })).toEqual([]);
    expect(modifiedProperties(before, { ...before, roles: ['a', 'b'] })).toEqual([['roles', ['a'], ['a', 'b']]]);
  });

  it('masks attributes named like credentials, and keeps Redact() values as they came', () => {
    expect(modifiedProperties(undefined, { password: 'hunter2', displayName: '[Redact]' })).toEqual([
      ['password', null, SECRET_MASK],
      ['displayName', null, '[Redact]'],
    ]);
  });
});

describe('stored attribute names', () => {
  const department = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department';

  it("stores the enterprise extension's names short and reads them whole", () => {
    const stored = modifiedProperties(undefined, { [department]: 'R&D', userName: 'ada@example.com' });
    expect(stored).toEqual([
      ['@enterprise:department', null, 'R&D'],
      ['userName', null, 'ada@example.com'],
    ]);
    expect(readModified(stored)).toEqual([
      [department, null, 'R&D'],
      ['userName', null, 'ada@example.com'],
    ]);
  });

  it('reads rows stored with whole names, and no row as none', () => {
    expect(readModified([[department, 'R&D', 'Computing']])).toEqual([[department, 'R&D', 'Computing']]);
    expect(readModified(null)).toEqual([]);
  });
});

describe('maskSecrets', () => {
  it('masks credential-named properties at any depth and leaves the rest', () => {
    expect(maskSecrets({ body: { detail: 'bad', client_secret: 's', nested: [{ accessToken: 't', n: 1 }] }, status: 400 })).toEqual({
      body: { detail: 'bad', client_secret: SECRET_MASK, nested: [{ accessToken: SECRET_MASK, n: 1 }] },
      status: 400,
    });
  });
});
