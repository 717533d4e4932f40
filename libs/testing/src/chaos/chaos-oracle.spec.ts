import type { EmulatedGroup, EmulatedUser, RequestLogEntry } from '@roster/goto-emulator';
import type { DirectorySnapshot, DirectoryUser } from './directory-snapshot';
import { compareWithGoto } from './goto-comparison';
import { checkLog, type ExecutedRecord } from './log-check';
import { oracleOf } from './oracle';

const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';

function dirUser(id: string, extra: Partial<DirectoryUser> = {}): DirectoryUser {
  return {
    id,
    userPrincipalName: `${id}@example.com`,
    accountEnabled: true,
    softDeleted: false,
    givenName: 'Ada',
    surname: id,
    displayName: `Ada ${id}`,
    department: 'Eng',
    employeeId: null,
    ...extra,
  };
}

function account(id: string, externalId: string, extra: { active?: boolean; department?: string } = {}): EmulatedUser {
  const attributes: Record<string, unknown> = {
    userName: `${externalId}@example.com`,
    externalId,
    active: extra.active ?? true,
    name: { givenName: 'Ada', familyName: externalId },
    displayName: `Ada ${externalId}`,
    [ENTERPRISE]: { department: extra.department ?? 'Eng' },
  };
  return { id, attributes, userName: `${externalId}@example.com`, externalId, active: extra.active ?? true } as unknown as EmulatedUser;
}

const group = (id: string, displayName: string, externalId: string, members: string[]) =>
  ({ id, displayName, externalId, members: new Set(members) }) as unknown as EmulatedGroup;

describe('chaos oracle', () => {
  const directory: DirectorySnapshot = {
    users: [
      dirUser('direct'),
      dirUser('viagroup'),
      dirUser('unassigned'),
      dirUser('softdeleted', { softDeleted: true }),
      dirUser('disabled', { accountEnabled: false }),
    ],
    groups: [
      { id: 'g1', displayName: 'G1', members: ['viagroup', 'direct', 'disabled'] },
      { id: 'g2', displayName: 'Not assigned', members: ['unassigned'] },
    ],
    assigned: new Set(['direct', 'g1', 'disabled']),
  };
  const oracle = oracleOf(directory);

  it('puts in scope who is assigned directly or through an assigned group, and only if enabled and not deleted', () => {
    expect([...oracle.active.keys()].sort()).toEqual(['direct', 'viagroup']);
    expect([...oracle.inactiveOrAbsent].sort()).toEqual(['disabled', 'softdeleted', 'unassigned']);
    expect(oracle.active.get('direct')).toEqual({
      userName: 'direct@example.com',
      externalId: 'direct',
      active: true,
      givenName: 'Ada',
      familyName: 'direct',
      displayName: 'Ada direct',
      department: 'Eng',
    });
    expect(oracle.groups).toEqual(new Map([['g1', { displayName: 'G1', members: new Set(['viagroup@example.com', 'direct@example.com']) }]]));
  });

  it('finds GoTo exactly right', () => {
    const users = [account('1', 'direct'), account('2', 'viagroup'), account('3', 'unassigned', { active: false })];
    const { accounts, groups } = compareWithGoto(oracle, { users, groups: [group('9', 'G1', 'g1', ['1', '2'])] });
    expect([accounts.toString(), groups.toString()]).toEqual(['none', 'none']);
  });

  it('names every kind of difference with its count and examples', () => {
    const users = [
      account('1', 'direct', { department: 'Boss' }),
      account('3', 'unassigned'),
      account('4', 'gone'),
      account('5', 'disabled', { active: false }),
    ];
    const { accounts, groups } = compareWithGoto(oracle, { users, groups: [group('9', 'G1', 'g1', ['1', '3'])] });
    expect(accounts.counts()).toEqual({
      'wrong department': 1,
      'active but out of scope': 1,
      'account of no directory user (hard-deleted or unknown)': 1,
      'missing account': 1,
    });
    expect(groups.counts()).toEqual({ 'extra group member': 1, 'missing group member': 1 });
    expect(accounts.toString()).toContain('wrong department: 1 (e.g. direct@example.com: department "Eng" → "Boss")');
  });

  it('counts two accounts of one directory user as a duplicate', () => {
    const twin = { ...account('7', 'direct'), userName: 'other@example.com' } as EmulatedUser;
    const { accounts } = compareWithGoto(oracle, { users: [account('1', 'direct'), twin, account('2', 'viagroup')], groups: [group('9', 'G1', 'g1', ['1', '2'])] });
    expect(accounts.counts()).toEqual({ 'duplicate accounts': 1 });
  });

  it('requires unmanaged accounts to be left exactly as they were', () => {
    const unmanaged = account('8', 'outsider');
    const changed = account('8', 'outsider', { active: false });
    const base = [account('1', 'direct'), account('2', 'viagroup')];
    const groups = [group('9', 'G1', 'g1', ['1', '2'])];
    const expected = new Map([['outsider@example.com', { userName: 'outsider@example.com', externalId: 'outsider', active: true, givenName: 'Ada', familyName: 'outsider', displayName: 'Ada outsider', department: 'Eng' }]]);
    const accountsOf = (users: EmulatedUser[]) => compareWithGoto(oracle, { users, groups }, { unmanaged: expected }).accounts;
    expect(accountsOf([...base, unmanaged]).total).toBe(0);
    expect(accountsOf([...base, changed]).counts()).toEqual({ 'unmanaged account changed': 1 });
    expect(accountsOf(base).counts()).toEqual({ 'unmanaged account removed': 1 });
  });
});

describe('chaos log check', () => {
  const write = (w: RequestLogEntry['write'], principal = 'roster'): RequestLogEntry =>
    ({ time: 0, method: 'X', path: '/', family: 'scim', status: 200, durationMs: 0, principal, write: w }) as RequestLogEntry;
  const executed = (action: string, targetUserName: string, reason: string | null = null): ExecutedRecord => ({
    id: `${action}-${targetUserName}-${Math.random()}`,
    service: 'connector',
    action,
    step: 'executed',
    reason,
    targetId: null,
    targetUserName,
  });

  it('pairs each user write and each member change with one executed record', () => {
    const writes = [
      write({ resource: 'User', id: '1', op: 'create', userName: 'a@example.com' }),
      write({ resource: 'User', id: '1', op: 'delete', userName: 'a@example.com' }),
      write({ resource: 'Group', id: 'g', op: 'patch', addedMembers: ['1'], removedMembers: [] }),
    ];
    const records = [executed('Create', 'a@example.com'), executed('Delete', 'A@example.com'), { ...executed('AddMember', ''), targetUserName: null, targetId: '1' }];
    expect(checkLog(writes, records, []).toString()).toBe('none');
  });

  it('reports a write without its record, a record without its write, and ignores records that claim no write', () => {
    const writes = [
      write({ resource: 'User', id: '1', op: 'create', userName: 'a@example.com' }),
      write({ resource: 'User', id: '1', op: 'patch', userName: 'a@example.com' }),
      write({ resource: 'User', id: '2', op: 'patch', userName: 'admin-did-it@example.com' }, 'someone-else'),
    ];
    const records = [
      executed('Create', 'a@example.com'),
      executed('RemoveMember', 'b@example.com', 'superseded'),
      executed('Disable', 'c@example.com', 'no account in GoTo; nothing to disable'),
    ];
    const report = checkLog(writes, records, [], { ignorePrincipals: ['someone-else'] });
    expect(report.counts()).toEqual({ 'write GoTo applied without an executed record': 1, 'executed record without its write': 1 });
    expect(report.toString()).toContain('member removed b@example.com (reason: superseded)');
  });
});
