import type { AssignmentChangeEvent, MappingConfig } from '@roster/contracts';
import { compileJob } from '../compile-job';
import { DEFAULT_GOTOMEETING_MAPPING } from '../default-gotomeeting.mapping';
import { decide, NOT_PROVISIONED, type ProvisionedState } from '../provisioning-decision';

const MEETING = '4730126558413921284';
const WEBINAR = '4730126558413921285';
const base = {
  version: 1 as const,
  idempotencyKey: 'k',
  correlationId: 'c',
  provisioningJobId: 'gotomeeting',
  occurredAt: '2026-11-28T00:00:00Z',
  source: { kind: 'demo', order: '1' },
};
const user = { id: 'u1', attributes: { objectId: 'u1', userPrincipalName: 'ada@example.com', givenName: 'Ada', surname: 'L', accountEnabled: true } };
const direct = (appRoleId: string) => ({ kind: 'direct' as const, appRoleId });
const assigned = (...via: { kind: 'direct'; appRoleId: string }[]): AssignmentChangeEvent => ({ ...base, type: 'user.assigned', user, groups: [], via });
const rolesChanged = (...via: { kind: 'direct'; appRoleId: string }[]): AssignmentChangeEvent => ({
  ...base,
  type: 'user.roles-changed',
  user,
  groups: [],
  via,
});
const job = (licenses?: MappingConfig['licenses']) =>
  compileJob({ ...DEFAULT_GOTOMEETING_MAPPING, ...(licenses ? { licenses } : {}) }, 1);
const licensed = job({ byAppRole: { organizer: [MEETING], webinars: [MEETING, WEBINAR], attendee: [] }, removeOnDisable: true });

describe('decide: licenses by app role', () => {
  it('puts the union of the roles’ license keys into the create, and none when the job maps no licenses', () => {
    const create = decide(assigned(direct('organizer'), direct('webinars')), NOT_PROVISIONED, licensed).commands[0];
    expect(create).toMatchObject({ type: 'user.create', licenseKeys: [MEETING, WEBINAR] });
    expect(decide(assigned(direct('organizer')), NOT_PROVISIONED, job()).commands[0]).not.toHaveProperty('licenseKeys');
  });

  it('gives a user whose roles map to no key an empty set (it holds no license)', () => {
    expect(decide(assigned(direct('unmapped')), NOT_PROVISIONED, licensed).commands[0]).toMatchObject({ licenseKeys: [] });
  });

  it('sends an update with the new licenses when only the role changed, and nothing when the role set is the same', () => {
    const state = decide(assigned(direct('organizer')), NOT_PROVISIONED, licensed).next;
    const d = decide(rolesChanged(direct('webinars')), state, licensed);
    expect(d.commands).toEqual([expect.objectContaining({ type: 'user.update', changed: [], licenseKeys: [MEETING, WEBINAR] })]);
    expect(d.next.roles).toEqual(['webinars']);
    expect(decide(rolesChanged(direct('organizer')), state, licensed).skipped).toBe('no change to a mapped attribute');
  });

  it('keeps the saved roles for events that do not say them, and carries the licenses on every update', () => {
    const state = decide(assigned(direct('organizer')), NOT_PROVISIONED, licensed).next;
    const renamed: AssignmentChangeEvent = {
      ...base,
      type: 'user.attributes-changed',
      user: { ...user, attributes: { ...user.attributes, surname: 'King' } },
      groups: [],
    };
    expect(decide(renamed, state, licensed).commands[0]).toMatchObject({ type: 'user.update', licenseKeys: [MEETING] });
  });

  it('takes the licenses away on disable only when removeOnDisable is set, and gives them back on enable', () => {
    const state = decide(assigned(direct('organizer')), NOT_PROVISIONED, licensed).next;
    const disabled: AssignmentChangeEvent = { ...base, type: 'user.disabled', user, groups: [] };
    const d = decide(disabled, state, licensed);
    expect(d.commands).toEqual([{ type: 'user.disable', licenseKeys: [] }]);
    const keep = job({ byAppRole: { organizer: [MEETING] }, removeOnDisable: false });
    expect(decide(disabled, decide(assigned(direct('organizer')), NOT_PROVISIONED, keep).next, keep).commands).toEqual([
      { type: 'user.disable' },
    ]);
    const reenabled = decide(rolesChanged(direct('organizer')), d.next, licensed);
    expect(reenabled.commands[0]).toMatchObject({ type: 'user.enable', licenseKeys: [MEETING] });
  });

  it('leaves licenses alone for a user whose roles were never seen (saved before roles were kept)', () => {
    const old: ProvisionedState = { ...decide(assigned(direct('organizer')), NOT_PROVISIONED, job()).next, roles: null, licenses: null };
    const reevaluate: AssignmentChangeEvent = { ...base, type: 'user.reevaluate', userId: 'u1', configVersion: 2 };
    expect(decide(reevaluate, old, licensed).skipped).toBe('no change to a mapped attribute');
  });
});
