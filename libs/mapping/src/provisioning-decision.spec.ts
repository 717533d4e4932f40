import type { AssignmentChangeEvent } from '@roster/contracts';
import { DEFAULT_GOTOMEETING_MAPPINGS } from './default-gotomeeting.mapping';
import { decide, NOT_PROVISIONED, type ProvisionedState } from './provisioning-decision';

const base = {
  version: 1 as const,
  idempotencyKey: 'k',
  correlationId: 'c',
  provisioningJobId: 'gotomeeting',
  occurredAt: '2026-11-28T00:00:00Z',
  source: { kind: 'demo', order: '1' },
};
const attrs = { objectId: 'u1', userPrincipalName: 'ada@example.com', givenName: 'Ada', surname: 'L', accountEnabled: true };
const user = (a = attrs) => ({ id: 'u1', attributes: a });
const policy = { deleteOnHardDelete: false };
const assigned: AssignmentChangeEvent = { ...base, type: 'user.assigned', user: user(), via: [{ kind: 'direct', appRoleId: 'r' }] };

function provisioned(): ProvisionedState {
  return decide(assigned, NOT_PROVISIONED, DEFAULT_GOTOMEETING_MAPPINGS, policy).next;
}

describe('decide', () => {
  it('creates a user who is not provisioned yet', () => {
    const d = decide(assigned, NOT_PROVISIONED, DEFAULT_GOTOMEETING_MAPPINGS, policy);
    expect(d.commands.map((c) => c.type)).toEqual(['user.create']);
    expect(d.next.provisioned).toBe(true);
  });

  it('sends nothing when an unmapped attribute changes', () => {
    const e: AssignmentChangeEvent = { ...base, type: 'user.attributes-changed', user: user({ ...attrs, officeLocation: 'B2' } as typeof attrs) };
    const d = decide(e, provisioned(), DEFAULT_GOTOMEETING_MAPPINGS, policy);
    expect(d.commands).toEqual([]);
    expect(d.skipped).toBe('no change to a mapped attribute');
  });

  it('updates only the mapped attribute that changed', () => {
    const e: AssignmentChangeEvent = { ...base, type: 'user.attributes-changed', user: user({ ...attrs, surname: 'King' }) };
    const d = decide(e, provisioned(), DEFAULT_GOTOMEETING_MAPPINGS, policy);
    expect(d.commands).toMatchObject([{ type: 'user.update', changed: ['name.familyName'] }]);
  });

  it('disables on unassignment, disabling and soft delete; deletes on hard delete only when enabled', () => {
    const p = provisioned();
    for (const e of [
      { ...base, type: 'user.unassigned', user: user() },
      { ...base, type: 'user.disabled', user: user() },
      { ...base, type: 'user.deleted', user: user(), hardDelete: false },
      { ...base, type: 'user.deleted', user: user(), hardDelete: true },
    ] as AssignmentChangeEvent[]) {
      expect(decide(e, p, DEFAULT_GOTOMEETING_MAPPINGS, policy).commands).toEqual([{ type: 'user.disable' }]);
    }
    const hard: AssignmentChangeEvent = { ...base, type: 'user.deleted', user: user(), hardDelete: true };
    expect(decide(hard, p, DEFAULT_GOTOMEETING_MAPPINGS, { deleteOnHardDelete: true }).commands).toEqual([{ type: 'user.delete' }]);
  });

  it('re-enables a disabled user when the directory enables it again', () => {
    const disabled = decide({ ...base, type: 'user.disabled', user: user() }, provisioned(), DEFAULT_GOTOMEETING_MAPPINGS, policy).next;
    const d = decide({ ...base, type: 'user.attributes-changed', user: user() }, disabled, DEFAULT_GOTOMEETING_MAPPINGS, policy);
    expect(d.commands.map((c) => c.type)).toEqual(['user.enable']);
  });

  it('does not disable twice', () => {
    const disabled = decide({ ...base, type: 'user.disabled', user: user() }, provisioned(), DEFAULT_GOTOMEETING_MAPPINGS, policy).next;
    expect(decide({ ...base, type: 'user.unassigned', user: user() }, disabled, DEFAULT_GOTOMEETING_MAPPINGS, policy).commands).toEqual([]);
  });
});
