import type { AssignmentChangeEvent, MappingConfig } from '@roster/contracts';
import { compileJob } from './compile-job';
import { DEFAULT_GOTOMEETING_MAPPING } from './default-gotomeeting.mapping';
import { decide, isNewDeprovisioning, NOT_PROVISIONED, type CompiledJob, type ProvisionedState, type ScopeEvaluator } from './provisioning-decision';

const base = {
  version: 1 as const,
  idempotencyKey: 'k',
  correlationId: 'c',
  provisioningJobId: 'gotomeeting',
  occurredAt: '2026-11-28T00:00:00Z',
  source: { kind: 'demo', order: '1' },
};
const attrs = { objectId: 'u1', userPrincipalName: 'ada@example.com', givenName: 'Ada', surname: 'L', accountEnabled: true, department: 'Sales' };
const user = (a: Record<string, string | boolean> = attrs) => ({ id: 'u1', attributes: a });
const G = { groups: [] as { id: string; displayName: string }[] };
const assigned: AssignmentChangeEvent = { ...base, type: 'user.assigned', user: user(), ...G, via: [{ kind: 'direct', appRoleId: 'r' }] };
const salesOnly: ScopeEvaluator = {
  evaluate: (s) =>
    s.attributes.department === 'Sales'
      ? { inScope: true, reason: 'in scope: filter "sales" matched' }
      : { inScope: false, reason: `out of scope: department EQUALS "Sales" (actual "${s.attributes.department}")` },
};

function job(overrides: Partial<MappingConfig> = {}, scope: ScopeEvaluator | null = null): CompiledJob {
  return { ...compileJob({ ...DEFAULT_GOTOMEETING_MAPPING, ...overrides }, 1), scope };
}
const types = (d: { commands: { type: string }[] }) => d.commands.map((c) => c.type);
const provisioned = (j = job()): ProvisionedState => decide(assigned, NOT_PROVISIONED, j).next;
const changed = (a: Record<string, string | boolean>): AssignmentChangeEvent => ({ ...base, type: 'user.attributes-changed', user: user(a), ...G });

describe('decide', () => {
  it('creates a user who is not provisioned yet, with Entra-style steps', () => {
    const d = decide(assigned, NOT_PROVISIONED, job());
    expect(types(d)).toEqual(['user.create']);
    expect(d.steps.map((s) => s.type)).toEqual(['import', 'scoping', 'matching', 'processing']);
    expect(d.next.provisioned).toBe(true);
  });

  it('sends nothing when an unmapped attribute changes, and an update of the one mapped attribute that changed', () => {
    expect(decide(changed({ ...attrs, officeLocation: 'B2' }), provisioned(), job()).skipped).toBe('no change to a mapped attribute');
    expect(decide(changed({ ...attrs, surname: 'King' }), provisioned(), job()).commands).toMatchObject([
      { type: 'user.update', changed: ['name.familyName'] },
    ]);
  });

  it('disables on unassignment, disabling and soft delete; deletes on hard delete when Delete is enabled', () => {
    const p = provisioned();
    for (const e of [
      { ...base, type: 'user.unassigned', user: user(), ...G },
      { ...base, type: 'user.disabled', user: user(), ...G },
      { ...base, type: 'user.deleted', user: user(), ...G, hardDelete: false },
    ] as AssignmentChangeEvent[]) {
      expect(types(decide(e, p, job()))).toEqual(['user.disable']);
    }
    const hard: AssignmentChangeEvent = { ...base, type: 'user.deleted', user: user(), ...G, hardDelete: true };
    expect(types(decide(hard, p, job()))).toEqual(['user.delete']);
    expect(types(decide(hard, p, job({ actions: { create: true, update: true, delete: false } })))).toEqual(['user.disable']);
  });

  it('honours skipOutOfScopeDeletions and the create/update switches', () => {
    const unassigned: AssignmentChangeEvent = { ...base, type: 'user.unassigned', user: user(), ...G };
    expect(decide(unassigned, provisioned(), job({ skipOutOfScopeDeletions: true })).skipped).toMatch(/skipOutOfScopeDeletions/);
    expect(decide(assigned, NOT_PROVISIONED, job({ actions: { create: false, update: true, delete: true } })).skipped).toMatch(/create action/);
    expect(decide(changed({ ...attrs, surname: 'K' }), provisioned(), job({ actions: { create: true, update: false, delete: true } })).skipped).toMatch(
      /update action/,
    );
  });

  it('deprovisions a user who falls out of scope, with the clause as the reason', () => {
    const j = job({ scopingFilters: [{ clauses: [{ attribute: 'department', operator: 'EQUALS', value: 'Sales' }] }] }, salesOnly);
    const d = decide(changed({ ...attrs, department: 'R&D' }), provisioned(j), j);
    expect(types(d)).toEqual(['user.disable']);
    expect(d.steps.find((s) => s.type === 'scoping')).toMatchObject({ status: 'skipped', description: expect.stringContaining('department EQUALS') });
  });

  it('re-evaluates a user from saved state after the mapping changes', () => {
    const p = provisioned();
    const newMapping = job({
      attributeMappings: [
        ...DEFAULT_GOTOMEETING_MAPPING.attributeMappings.filter((m) => m.target !== 'displayName'),
        { target: 'displayName', type: 'Expression', expression: 'Join(" ", [givenName], [surname])', apply: 'Always' },
      ],
    });
    const d = decide({ ...base, type: 'user.reevaluate', userId: 'u1', configVersion: 2 }, p, newMapping);
    expect(d.commands).toMatchObject([{ type: 'user.update', changed: ['displayName'], attributes: { displayName: 'Ada L' } }]);
  });

  it('re-enables a disabled user and restores its group memberships', () => {
    let s = provisioned();
    const sales = { id: 'g1', displayName: 'Sales' };
    const added = decide({ ...base, type: 'group.member-added', group: sales, user: user(), groups: [sales] }, s, job());
    expect(types(added)).toEqual(['group.add-member']);
    s = added.next;
    s = decide({ ...base, type: 'user.disabled', user: user({ ...attrs, accountEnabled: false }), groups: [sales] }, s, job()).next;
    const reenabled: AssignmentChangeEvent = { ...base, type: 'user.attributes-changed', user: user(), groups: [sales] };
    expect(types(decide(reenabled, s, job()))).toEqual(['user.enable', 'group.add-member']);
  });

  it('takes a deprovisioned account out of every GoTo group it was put in, so GoTo members stay the in-scope ones', () => {
    const sales = { id: 'g1', displayName: 'Sales' };
    const ops = { id: 'g2', displayName: 'Ops' };
    const inGroups = decide({ ...assigned, groups: [sales, ops] } as AssignmentChangeEvent, NOT_PROVISIONED, job()).next;
    const leaves = (d: { commands: unknown[] }) => d.commands.slice(1);
    const removals = [
      { type: 'group.remove-member', group: { externalId: 'g1', displayName: 'Sales' } },
      { type: 'group.remove-member', group: { externalId: 'g2', displayName: 'Ops' } },
    ];
    // Leaving the last assigned group reaches the mapper as an unassignment: its groups are gone from the event.
    for (const e of [
      { ...base, type: 'user.unassigned', user: user(), ...G },
      { ...base, type: 'user.disabled', user: user({ ...attrs, accountEnabled: false }), ...G },
      { ...base, type: 'user.deleted', user: user(), ...G, hardDelete: false },
    ] as AssignmentChangeEvent[]) {
      const d = decide(e, inGroups, job());
      expect(types(d)[0]).toBe('user.disable');
      expect(leaves(d)).toEqual(removals);
    }
    const j = job({ scopingFilters: [{ clauses: [{ attribute: 'department', operator: 'EQUALS', value: 'Sales' }] }] }, salesOnly);
    const scoped = decide({ ...assigned, groups: [sales, ops] } as AssignmentChangeEvent, NOT_PROVISIONED, j).next;
    const outOfScope = decide({ ...changed({ ...attrs, department: 'R&D' }), groups: [sales] } as AssignmentChangeEvent, scoped, j);
    expect(types(outOfScope)).toEqual(['user.disable', 'group.remove-member', 'group.remove-member']);
    // A hard delete needs no removals (GoTo drops a deleted account from its groups); an account already disabled has none left.
    expect(types(decide({ ...base, type: 'user.deleted', user: user(), ...G, hardDelete: true }, inGroups, job()))).toEqual(['user.delete']);
    const disabled = decide({ ...base, type: 'user.unassigned', user: user(), ...G }, inGroups, job()).next;
    expect(types(decide({ ...base, type: 'user.deleted', user: user(), ...G, hardDelete: false }, disabled, job()))).toEqual([]);
  });

  it('removes the groups when an update turns active off, and restores them on enable', () => {
    const sales = { id: 'g1', displayName: 'Sales' };
    const s = decide({ ...assigned, groups: [sales] } as AssignmentChangeEvent, NOT_PROVISIONED, job()).next;
    const off = decide({ ...changed({ ...attrs, accountEnabled: false }), groups: [sales] } as AssignmentChangeEvent, s, job());
    expect(off.commands).toMatchObject([{ type: 'user.update', changed: ['active'] }, { type: 'group.remove-member', group: { externalId: 'g1' } }]);
    const on = decide({ ...changed(attrs), groups: [sales] } as AssignmentChangeEvent, off.next, job());
    expect(types(on)).toEqual(['user.enable', 'group.add-member']);
  });

  it('does not disable twice and does not create a user disabled in the directory', () => {
    const disabled = decide({ ...base, type: 'user.disabled', user: user(), ...G }, provisioned(), job()).next;
    expect(types(decide({ ...base, type: 'user.unassigned', user: user(), ...G }, disabled, job()))).toEqual([]);
    expect(decide({ ...assigned, user: user({ ...attrs, accountEnabled: false }) } as AssignmentChangeEvent, NOT_PROVISIONED, job()).skipped).toMatch(/disabled in the directory/);
  });
});

describe('decide after a command of the user was dead-lettered', () => {
  const sales = { id: 'g1', displayName: 'Sales' };
  const reevaluate = (full?: true): AssignmentChangeEvent => ({ ...base, type: 'user.reevaluate', userId: 'u1', configVersion: 2, ...(full ? { full } : {}) });
  const withGroup = (): ProvisionedState => decide({ ...assigned, groups: [sales] }, NOT_PROVISIONED, job()).next;

  it('sends the whole state on the next re-evaluation even when no mapped attribute changed, then goes back to minimal commands', () => {
    const failed: ProvisionedState = { ...withGroup(), failedCommand: 'user.update' };
    const d = decide(reevaluate(), failed, job());
    expect(types(d)).toEqual(['user.update', 'group.add-member']);
    expect(d.commands[0]).toMatchObject({ changed: Object.keys(failed.target), attributes: failed.target });
    expect(d.next.failedCommand).toBeUndefined();
    expect(decide(reevaluate(), d.next, job()).skipped).toBe('no change to a mapped attribute');
  });

  it('creates again, with the on-create values, a user whose create failed', () => {
    const onCreate = job({
      attributeMappings: [...DEFAULT_GOTOMEETING_MAPPING.attributeMappings, { target: 'locale', type: 'Constant', constant: 'en_US', apply: 'OnlyOnCreate' }],
    });
    const failed: ProvisionedState = { ...decide(assigned, NOT_PROVISIONED, onCreate).next, failedCommand: 'user.create' };
    const d = decide(changed({ ...attrs, givenName: 'Augusta' }), failed, onCreate);
    expect(d.commands).toMatchObject([{ type: 'user.create', attributes: { locale: 'en_US', 'name.givenName': 'Augusta' } }]);
    expect(d.next).toMatchObject({ provisioned: true, failedCommand: undefined });
  });

  it('keeps the failure in mind while nothing can be sent, e.g. the user is disabled in the directory', () => {
    const failed: ProvisionedState = { ...provisioned(), failedCommand: 'user.create' };
    const d = decide(changed({ ...attrs, accountEnabled: false }), failed, job());
    expect(d.skipped).toMatch(/disabled in the directory/);
    expect(d.next.failedCommand).toBe('user.create');
  });

  it('answers a re-drive (full re-evaluation) with the whole state even without a reported failure', () => {
    expect(decide(reevaluate(), withGroup(), job()).skipped).toBe('no change to a mapped attribute');
    expect(types(decide(reevaluate(true), withGroup(), job()))).toEqual(['user.update', 'group.add-member']);
  });

  it('disables again a user whose disable failed, and deletes again one whose delete failed', () => {
    const disabled = decide({ ...base, type: 'user.unassigned', user: user(), ...G }, provisioned(), job()).next;
    expect(decide(reevaluate(), { ...disabled, failedCommand: 'user.disable' }, job()).commands).toEqual([{ type: 'user.disable' }]);
    expect(decide(reevaluate(), disabled, job()).skipped).toBe('not assigned; nothing to re-evaluate');

    const deleted = decide({ ...base, type: 'user.deleted', hardDelete: true, user: user(), ...G }, provisioned(), job()).next;
    expect(decide(reevaluate(true), { ...deleted, failedCommand: 'user.delete' }, job()).commands).toEqual([{ type: 'user.delete' }]);
    expect(decide(reevaluate(true), deleted, job()).skipped).toMatch(/not provisioned, nothing to do/);
  });
});

describe('decide on an event restating the whole state (queued work was lost)', () => {
  const sales = { id: 'g1', displayName: 'Sales' };
  const withGroup = (): ProvisionedState => decide({ ...assigned, groups: [sales] }, NOT_PROVISIONED, job()).next;
  const unassigned = (full?: true): AssignmentChangeEvent => ({ ...base, type: 'user.unassigned', user: user(), ...G, ...(full ? { full } : {}) });

  it('sends every attribute and group again although the saved state says they were sent', () => {
    expect(decide({ ...assigned, groups: [sales] }, withGroup(), job()).skipped).toBe('no change to a mapped attribute');
    const d = decide({ ...assigned, groups: [sales], full: true }, withGroup(), job());
    expect(types(d)).toEqual(['user.update', 'group.add-member']);
    expect(d.commands[0]).toMatchObject({ changed: Object.keys(withGroup().target) });
  });

  const memberEvent = (type: 'group.member-added' | 'group.member-removed', groups: (typeof sales)[]): AssignmentChangeEvent => ({
    ...base,
    type,
    user: user(),
    group: sales,
    groups,
    via: [{ kind: 'direct', appRoleId: 'r' }],
  });

  it('removes the account again from a group it left, whose removal may have been lost with the queues', () => {
    const left = decide(memberEvent('group.member-removed', []), withGroup(), job());
    expect(types(left)).toEqual(['group.remove-member']);
    expect(left.next.leftGroups).toEqual([sales]);
    expect(types(decide({ ...assigned, groups: [], full: true }, left.next, job()))).toEqual(['user.update', 'group.remove-member']);
    // Back in the group, it is no group it left.
    const back = decide(memberEvent('group.member-added', [sales]), left.next, job());
    expect(types(back)).toEqual(['group.add-member']);
    expect(back.next.leftGroups).toEqual([]);
    expect(types(decide({ ...assigned, groups: [sales], full: true }, back.next, job()))).toEqual(['user.update', 'group.add-member']);
  });

  it('takes a disabled account out of every group it was in or left, when restating its disable', () => {
    const left = decide(memberEvent('group.member-removed', []), withGroup(), job()).next;
    const disabled = decide(unassigned(), left, job()).next;
    expect(types(decide(unassigned(true), disabled, job()))).toEqual(['user.disable', 'group.remove-member']);
  });

  it('disables again an account already disabled, which deletion prevention does not count as a new deletion', () => {
    const disabled = decide(unassigned(), provisioned(), job()).next;
    expect(types(decide(unassigned(), disabled, job()))).toEqual([]);
    const again = decide(unassigned(true), disabled, job());
    expect(types(again)).toEqual(['user.disable']);
    expect(isNewDeprovisioning(again.commands[0], disabled)).toBe(false);
    expect(isNewDeprovisioning({ type: 'user.disable' }, provisioned())).toBe(true);
    expect(isNewDeprovisioning({ type: 'user.delete' }, disabled)).toBe(true);
  });
});

const MEETING = '4730126558413921284';
const WEBINAR = '4730126558413921285';
const direct = (appRoleId: string) => ({ kind: 'direct' as const, appRoleId });
const assignedAs = (...via: { kind: 'direct'; appRoleId: string }[]): AssignmentChangeEvent => ({ ...base, type: 'user.assigned', user: user(), groups: [], via });
const rolesChanged = (...via: { kind: 'direct'; appRoleId: string }[]): AssignmentChangeEvent => ({
  ...base,
  type: 'user.roles-changed',
  user: user(),
  groups: [],
  via,
});
const licensedJob = (licenses?: MappingConfig['licenses']) => job(licenses ? { licenses } : {});
const licensed = licensedJob({ byAppRole: { organizer: [MEETING], webinars: [MEETING, WEBINAR], attendee: [] }, removeOnDisable: true });

describe('decide: licenses by app role', () => {
  it('puts the union of the roles’ license keys into the create, and none when the job maps no licenses', () => {
    const create = decide(assignedAs(direct('organizer'), direct('webinars')), NOT_PROVISIONED, licensed).commands[0];
    expect(create).toMatchObject({ type: 'user.create', licenseKeys: [MEETING, WEBINAR] });
    expect(decide(assignedAs(direct('organizer')), NOT_PROVISIONED, licensedJob()).commands[0]).not.toHaveProperty('licenseKeys');
  });

  it('gives a user whose roles map to no key an empty set (it holds no license)', () => {
    expect(decide(assignedAs(direct('unmapped')), NOT_PROVISIONED, licensed).commands[0]).toMatchObject({ licenseKeys: [] });
  });

  it('sends an update with the new licenses when only the role changed, and nothing when the role set is the same', () => {
    const state = decide(assignedAs(direct('organizer')), NOT_PROVISIONED, licensed).next;
    const d = decide(rolesChanged(direct('webinars')), state, licensed);
    expect(d.commands).toEqual([expect.objectContaining({ type: 'user.update', changed: [], licenseKeys: [MEETING, WEBINAR] })]);
    expect(d.next.roles).toEqual(['webinars']);
    expect(decide(rolesChanged(direct('organizer')), state, licensed).skipped).toBe('no change to a mapped attribute');
  });

  it('keeps the saved roles for events that do not say them, and carries the licenses on every update', () => {
    const state = decide(assignedAs(direct('organizer')), NOT_PROVISIONED, licensed).next;
    const renamed: AssignmentChangeEvent = {
      ...base,
      type: 'user.attributes-changed',
      user: user({ ...attrs, surname: 'King' }),
      groups: [],
    };
    expect(decide(renamed, state, licensed).commands[0]).toMatchObject({ type: 'user.update', licenseKeys: [MEETING] });
  });

  it('takes the licenses away on disable only when removeOnDisable is set, and gives them back on enable', () => {
    const state = decide(assignedAs(direct('organizer')), NOT_PROVISIONED, licensed).next;
    const disabled: AssignmentChangeEvent = { ...base, type: 'user.disabled', user: user(), groups: [] };
    const d = decide(disabled, state, licensed);
    expect(d.commands).toEqual([{ type: 'user.disable', licenseKeys: [] }]);
    const keep = licensedJob({ byAppRole: { organizer: [MEETING] }, removeOnDisable: false });
    expect(decide(disabled, decide(assignedAs(direct('organizer')), NOT_PROVISIONED, keep).next, keep).commands).toEqual([
      { type: 'user.disable' },
    ]);
    const reenabled = decide(rolesChanged(direct('organizer')), d.next, licensed);
    expect(reenabled.commands[0]).toMatchObject({ type: 'user.enable', licenseKeys: [MEETING] });
  });

  it('leaves licenses alone for a user whose roles were never seen (saved before roles were kept)', () => {
    const old: ProvisionedState = { ...decide(assignedAs(direct('organizer')), NOT_PROVISIONED, licensedJob()).next, roles: null, licenses: null };
    const reevaluate: AssignmentChangeEvent = { ...base, type: 'user.reevaluate', userId: 'u1', configVersion: 2 };
    expect(decide(reevaluate, old, licensed).skipped).toBe('no change to a mapped attribute');
  });
});
