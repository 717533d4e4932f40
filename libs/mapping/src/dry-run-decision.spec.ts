import type { AssignmentChangeEvent, WatchedDirectoryUser } from '@roster/contracts';
import { compileJob } from './compile-job';
import { DEFAULT_GOTOMEETING_MAPPING } from './default-gotomeeting.mapping';
import { dryRunDecision } from './dry-run-decision';
import { NOT_PROVISIONED, decide, type ProvisionedState } from './provisioning-decision';

const job = compileJob(DEFAULT_GOTOMEETING_MAPPING, 1);
const ada: WatchedDirectoryUser = {
  provisioningJobId: 'job',
  id: 'u1',
  state: 'present',
  accountEnabled: true,
  attributes: { objectId: 'u1', userPrincipalName: 'ada@example.com', givenName: 'Ada', surname: 'Lovelace', accountEnabled: true },
  assignments: [{ kind: 'direct', appRoleId: 'r' }],
  groups: [],
};

/** The state the mapper saves after provisioning `user`. */
function provisioned(user: WatchedDirectoryUser): ProvisionedState {
  const event: AssignmentChangeEvent = {
    version: 1,
    idempotencyKey: 'k',
    correlationId: 'k',
    provisioningJobId: 'job',
    occurredAt: new Date(0).toISOString(),
    source: { kind: 'demo', order: '1' },
    user: { id: user.id, attributes: user.attributes },
    groups: [],
    type: 'user.assigned',
    via: user.assignments,
  };
  return decide(event, NOT_PROVISIONED, job).next;
}

describe('dryRunDecision', () => {
  it('would create a user Roster never provisioned, and send nothing for one unchanged', () => {
    expect(dryRunDecision(job, ada, NOT_PROVISIONED)).toMatchObject({ userId: 'u1', userName: 'ada@example.com', commands: ['user.create'], failed: false });
    expect(dryRunDecision(job, ada, provisioned(ada))).toMatchObject({ commands: [], reason: 'no change to a mapped attribute' });
  });

  it('would update a changed user, naming the attributes, and disable one disabled, unassigned or gone', () => {
    const state = provisioned(ada);
    expect(dryRunDecision(job, { ...ada, attributes: { ...ada.attributes, surname: 'King' } }, state)).toMatchObject({ commands: ['user.update'], changed: ['name.familyName'] });
    expect(dryRunDecision(job, { ...ada, accountEnabled: false }, state).commands).toEqual(['user.disable']);
    expect(dryRunDecision(job, { ...ada, assignments: [] }, state).commands).toEqual(['user.disable']);
    expect(dryRunDecision(job, { ...ada, state: 'hard-deleted', attributes: {} }, state)).toMatchObject({ userName: 'ada@example.com', commands: ['user.delete'] });
  });

  it('reports a user whose mapping fails instead of throwing', () => {
    const noName = { ...ada, attributes: { objectId: 'u1' } };
    expect(dryRunDecision(job, noName, NOT_PROVISIONED)).toMatchObject({ commands: [], failed: true, reason: expect.stringMatching(/matching attribute/) });
  });
});
