import { DEFAULT_ACCESS_ROLE_ID } from '@roster/contracts';
import type { DirectoryUserSnapshot } from './directory-source';
import { diffUser, eventTagOf, restateUser, type WatchedUserState } from './user-scope-diff';

const ROLE = 'role-user';
const opts = { includeDefaultAccess: false };

function snap(over: Partial<DirectoryUserSnapshot> = {}): DirectoryUserSnapshot {
  return {
    id: 'u1',
    state: 'present',
    accountEnabled: true,
    attributes: { userPrincipalName: 'ada@example.com', givenName: 'Ada' },
    assignments: [{ kind: 'direct', appRoleId: ROLE }],
    groups: [],
    ...over,
  };
}

function after(s: DirectoryUserSnapshot): WatchedUserState {
  return diffUser(null, s, opts).next;
}

const types = (r: { event: { type: string } | null }) => (r.event ? [r.event.type] : []);

describe('diffUser', () => {
  it('assigns a user who enters scope', () => {
    expect(types(diffUser(null, snap(), opts))).toEqual(['user.assigned']);
  });

  it('ignores a Default Access assignment unless the job includes it', () => {
    const s = snap({ assignments: [{ kind: 'direct', appRoleId: DEFAULT_ACCESS_ROLE_ID }] });
    expect(types(diffUser(null, s, opts))).toEqual([]);
    expect(types(diffUser(null, s, { includeDefaultAccess: true }))).toEqual(['user.assigned']);
  });

  it('yields nothing for an unchanged snapshot (replays are harmless)', () => {
    expect(types(diffUser(after(snap()), snap(), opts))).toEqual([]);
  });

  it('reports attribute changes, disabling, unassignment, soft and hard deletion', () => {
    const prev = after(snap());
    expect(types(diffUser(prev, snap({ attributes: { userPrincipalName: 'ada@example.com', givenName: 'Adah' } }), opts))).toEqual([
      'user.attributes-changed',
    ]);
    expect(types(diffUser(prev, snap({ accountEnabled: false }), opts))).toEqual(['user.disabled']);
    expect(types(diffUser(prev, snap({ assignments: [] }), opts))).toEqual(['user.unassigned']);
    expect(diffUser(prev, snap({ state: 'soft-deleted' }), opts).event).toEqual({ type: 'user.deleted', hardDelete: false });
    expect(diffUser(prev, snap({ state: 'hard-deleted' }), opts).event).toEqual({ type: 'user.deleted', hardDelete: true });
  });

  it('treats re-enabling as an attribute change the mapper turns into an enable', () => {
    const disabled = after(snap({ accountEnabled: false }));
    expect(types(diffUser(disabled, snap(), opts))).toEqual(['user.attributes-changed']);
  });

  it('emits one event per user, the membership travelling with it', () => {
    const g = { id: 'g1', displayName: 'Sales' };
    const viaGroup = snap({ assignments: [{ kind: 'group', groupId: 'g1', appRoleId: ROLE }], groups: [g] });
    expect(types(diffUser(null, viaGroup, opts))).toEqual(['user.assigned']);
    const prev = after(viaGroup);
    expect(types(diffUser(prev, snap({ assignments: [], groups: [] }), opts))).toEqual(['user.unassigned']);
  });

  it('reports a membership change of an in-scope user on its own', () => {
    const g1 = { id: 'g1', displayName: 'Sales' };
    const g2 = { id: 'g2', displayName: 'EMEA' };
    const prev = after(snap({ groups: [g1] }));
    expect(diffUser(prev, snap({ groups: [g1, g2] }), opts).event).toEqual({
      type: 'group.member-added',
      group: g2,
      via: [{ kind: 'direct', appRoleId: ROLE }],
    });
    expect(diffUser(prev, snap({ groups: [] }), opts).event).toMatchObject({ type: 'group.member-removed', group: { id: 'g1' } });
  });

  it('reports a change of the app roles alone, and carries the assignments on every event of an in-scope user', () => {
    const prev = after(snap());
    const organizer = [{ kind: 'direct' as const, appRoleId: 'role-organizer' }];
    expect(diffUser(prev, snap({ assignments: organizer }), opts).event).toEqual({ type: 'user.roles-changed', via: organizer });
    // Another assignment with the same role is no role change.
    const viaGroup = [...snap().assignments, { kind: 'group' as const, groupId: 'g1', appRoleId: ROLE }];
    expect(diffUser(prev, snap({ assignments: viaGroup }), opts).event).toBeNull();
    const renamed = diffUser(prev, snap({ attributes: { ...snap().attributes, givenName: 'Augusta' }, assignments: organizer }), opts);
    expect(renamed.event).toEqual({ type: 'user.attributes-changed', via: organizer });
    expect(renamed.next.appRoles).toEqual(['role-organizer']);
    expect(diffUser(prev, snap({ assignments: [] }), opts).event).toEqual({ type: 'user.unassigned' });
  });

  it('counts roles never recorded (state saved before they were kept) as changed once', () => {
    const old: WatchedUserState = { ...after(snap()), appRoles: null };
    expect(types(diffUser(old, snap(), opts))).toEqual(['user.roles-changed']);
    expect(types(diffUser(diffUser(old, snap(), opts).next, snap(), opts))).toEqual([]);
  });
});

describe('restateUser', () => {
  const unassigned = snap({ assignments: [] });
  const gone = snap({ state: 'hard-deleted', assignments: [] });

  it('restates an unchanged user in scope as assigned, with its assignments', () => {
    expect(restateUser(after(snap()), 'user.assigned', snap(), opts).event).toEqual({ type: 'user.assigned', via: snap().assignments });
  });

  it('emits a real change as diffUser would', () => {
    const renamed = snap({ attributes: { userPrincipalName: 'ada@example.com', givenName: 'Augusta' } });
    expect(types(restateUser(after(snap()), 'user.assigned', renamed, opts))).toEqual(['user.attributes-changed']);
  });

  it('repeats the event that took a user out of scope, so the account ends disabled or deleted as before', () => {
    expect(restateUser(after(unassigned), 'user.unassigned', unassigned, opts).event).toEqual({ type: 'user.unassigned' });
    expect(restateUser(after(gone), eventTagOf({ type: 'user.deleted', hardDelete: true }), gone, opts).event).toEqual({
      type: 'user.deleted',
      hardDelete: true,
    });
    // Unassigned first, hard-deleted later: the watcher never deleted it, neither does the restatement.
    expect(restateUser(after(unassigned), 'user.unassigned', gone, opts).event).toEqual({ type: 'user.unassigned' });
  });

  it('says nothing of a user never told about', () => {
    expect(restateUser(after(unassigned), null, unassigned, opts).event).toBeNull();
    expect(restateUser(null, null, unassigned, opts).event).toBeNull();
  });
});
