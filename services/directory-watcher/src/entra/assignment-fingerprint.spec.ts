import { AssignmentFingerprint } from './assignment-fingerprint';

const row = (id: string, principalId = 'p', appRoleId = 'r') => ({ id, principalId, principalType: 'User' as const, appRoleId });
const fingerprint = (...pages: ReturnType<typeof row>[][]) => {
  const f = new AssignmentFingerprint();
  pages.forEach((page) => f.add(page));
  return f.value;
};

describe('AssignmentFingerprint', () => {
  it('does not depend on order or paging', () => {
    expect(fingerprint([row('a'), row('b')], [row('c')])).toBe(fingerprint([row('c'), row('a')], [], [row('b')]));
  });

  it('changes when an assignment is added, removed or changes role', () => {
    const base = fingerprint([row('a'), row('b')]);
    expect(fingerprint([row('a'), row('b'), row('c')])).not.toBe(base);
    expect(fingerprint([row('a')])).not.toBe(base);
    expect(fingerprint([row('a'), row('b', 'p', 'other')])).not.toBe(base);
  });
});
