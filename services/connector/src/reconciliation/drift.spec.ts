import { appliedStateOf } from '../accounts/applied-state';
import { planRepairs, type DesiredAccount, type DriftInput, type ListedAccount } from './drift';

const attributes = (n: number) => ({ userName: `u${n}@example.com`, displayName: `User ${n}`, title: null, active: true });
const desired = (n: number, over: Partial<DesiredAccount> = {}): DesiredAccount => ({
  userId: `dir-${n}`,
  accountId: `a${n}`,
  attributes: attributes(n),
  active: true,
  order: '5',
  ...over,
});
const account = (n: number, over: Partial<ListedAccount> = {}): ListedAccount => ({
  id: `a${n}`,
  active: true,
  attributes: { userName: `u${n}@example.com`, displayName: `User ${n}`, active: true },
  ...over,
});
const sales = { externalId: 'g-sales', displayName: 'Sales' };
const input = (over: Partial<DriftInput>): DriftInput => ({
  desired: [],
  memberships: [],
  accounts: [],
  groups: [],
  caseInsensitive: new Set(['userName']),
  ...over,
});

describe('planRepairs', () => {
  it('plans nothing when the target holds the desired state (userName compared ignoring case, null as absent)', () => {
    const report = planRepairs(
      input({
        desired: [desired(1), desired(2)],
        accounts: [account(1, { attributes: { ...account(1).attributes, userName: 'U1@Example.com' } }), account(2)],
        memberships: [{ userId: 'dir-1', group: sales, member: true }, { userId: 'dir-2', group: sales, member: false }],
        groups: [{ id: 'g1', displayName: 'sales', members: ['a1'] }],
      }),
    );
    expect(report).toEqual({ repairs: [], unmanaged: [] });
  });

  it('re-creates a deleted account, fixes changed attributes, re-enables and disables, and never compares a redacted value', () => {
    const secret = appliedStateOf({ password: 'p' }, ['password'])['password']!;
    const report = planRepairs(
      input({
        desired: [
          desired(1),
          desired(2, { attributes: { ...attributes(2), title: 'Eng', password: secret } }),
          desired(3),
          desired(4, { active: false }),
          desired(5, { active: false }),
        ],
        accounts: [
          account(2, { attributes: { ...account(2).attributes, displayName: 'By hand' } }),
          account(3, { active: false }),
          account(4),
          account(5, { active: false, attributes: { ...account(5).attributes, displayName: 'x' } }),
        ],
      }),
    );
    expect(report.repairs).toEqual([
      { kind: 'recreate', userId: 'dir-1', accountId: 'a1' },
      { kind: 'update', userId: 'dir-2', accountId: 'a2', changed: ['displayName', 'title'] },
      { kind: 'update', userId: 'dir-3', accountId: 'a3', changed: ['active'] },
      { kind: 'disable', userId: 'dir-4', accountId: 'a4' },
      { kind: 'update', userId: 'dir-5', accountId: 'a5', changed: ['displayName'] },
    ]);
  });

  it('reports accounts Roster never managed and plans nothing for them, except one a vanished account will adopt', () => {
    const report = planRepairs(input({ desired: [desired(1)], accounts: [account(7), account(8, { attributes: { userName: 'U1@example.com' } })] }));
    expect(report.unmanaged.map((a) => a.id)).toEqual(['a7']);
    expect(report.repairs).toEqual([{ kind: 'recreate', userId: 'dir-1', accountId: 'a1' }]);
  });

  it('adds missing members, removes members Roster removed or never added, and removes strangers from its groups only', () => {
    const report = planRepairs(
      input({
        desired: [desired(1), desired(2), desired(3), desired(4)],
        accounts: [account(1), account(2), account(3), account(4), account(9)],
        memberships: [
          { userId: 'dir-1', group: sales, member: true },
          { userId: 'dir-2', group: sales, member: false },
          { userId: 'dir-4', group: sales, member: true },
        ],
        groups: [
          { id: 'g1', displayName: 'Sales', members: ['a2', 'a3', 'a4', 'a9'] },
          { id: 'g2', displayName: 'Not Roster', members: ['a9', 'a1'] },
        ],
      }),
    );
    expect(report.repairs).toEqual([
      { kind: 'add-member', userId: 'dir-1', accountId: 'a1', group: sales },
      { kind: 'remove-member', userId: 'dir-2', accountId: 'a2', group: sales },
      { kind: 'remove-member', userId: 'dir-3', accountId: 'a3', group: sales },
      { kind: 'remove-stranger', accountId: 'a9', group: sales, groupId: 'g1' },
    ]);
    expect(report.unmanaged.map((a) => a.id)).toEqual(['a9']);
  });

  it('adds the members of a group deleted in the target (the add creates it) but not those whose account is re-created', () => {
    const report = planRepairs(
      input({
        desired: [desired(1), desired(2)],
        accounts: [account(1)],
        memberships: [{ userId: 'dir-1', group: sales, member: true }, { userId: 'dir-2', group: sales, member: true }],
      }),
    );
    expect(report.repairs).toEqual([
      { kind: 'recreate', userId: 'dir-2', accountId: 'a2' },
      { kind: 'add-member', userId: 'dir-1', accountId: 'a1', group: sales },
    ]);
  });
});
