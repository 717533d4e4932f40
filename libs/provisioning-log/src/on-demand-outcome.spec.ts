import type { OnDemandImport, ProvisioningObjectSummary } from '@roster/contracts';
import { onDemandOutcome } from './on-demand-outcome';

const imported: OnDemandImport = {
  provisioningJobId: 'job',
  userId: 'u1',
  changeId: 'job/42',
  event: 'user.assigned',
  steps: [{ name: 'EntryImport', provisioningStepType: 'import', status: 'success', description: 'read u1 from the demo directory', details: {} }],
};

let at = 0;
function record(service: 'mapper' | 'connector', roster: Partial<ProvisioningObjectSummary['roster']>, steps: ProvisioningObjectSummary['provisioningSteps'], targetId = ''): ProvisioningObjectSummary {
  at += 1;
  return {
    id: `r${at}`,
    activityDateTime: new Date(Date.UTC(2026, 0, 1, 0, 0, at)).toISOString(),
    changeId: 'job/42',
    targetIdentity: { id: targetId, displayName: '', identityType: '', details: {} },
    provisioningSteps: steps,
    roster: { service, action: 'Create', step: 'computed', status: 'success', attempt: null, messageId: null, reason: null, details: null, ...roster },
  } as ProvisioningObjectSummary;
}
const step = (provisioningStepType: 'scoping' | 'matching' | 'processing' | 'export', status: 'success' | 'skipped' | 'failure' = 'success') => ({
  name: provisioningStepType,
  provisioningStepType,
  status,
  description: provisioningStepType,
  details: {},
});
const decision = (command: string, commandId: string) =>
  record('mapper', { details: { command, commandId } }, [step('scoping'), step('matching'), step('processing')]);

describe('onDemandOutcome', () => {
  it('is pending until the mapper decided, then until the connector finished each write', () => {
    expect(onDemandOutcome(imported, [])).toMatchObject({ complete: false, outcome: 'pending', steps: imported.steps });
    const decided = decision('user.create', 'job/42/user.create');
    const waiting = onDemandOutcome(imported, [decided]);
    expect(waiting).toMatchObject({ complete: false, outcome: 'pending', actions: [{ command: 'user.create', status: 'pending', step: null }] });
    expect(waiting.steps.map((s) => s.provisioningStepType)).toEqual(['import', 'scoping', 'matching', 'processing', 'export']);
    expect(waiting.steps.at(-1)!.status).toBe('unknownFutureValue');

    const attempted = record('connector', { step: 'attempted', status: 'pending', messageId: 'job/42/user.create' }, [step('export')]);
    expect(onDemandOutcome(imported, [decided, attempted]).complete).toBe(false);
    const executed = record('connector', { step: 'executed', status: 'success', messageId: 'job/42/user.create' }, [step('export')], 'goto-7');
    // The log answers newest first; the outcome does not depend on it.
    const done = onDemandOutcome(imported, [executed, attempted, decided]);
    expect(done).toMatchObject({ complete: true, outcome: 'success', actions: [{ command: 'user.create', step: 'executed', status: 'success', targetId: 'goto-7' }] });
    expect(done.logIds.sort()).toEqual([decided.id, attempted.id, executed.id].sort());
  });

  it('fails with a write GoTo refused, and is skipped when nothing was to be written', () => {
    const decided = decision('user.update', 'job/42/user.update');
    const failed = record('connector', { step: 'failed', status: 'failure', messageId: 'job/42/user.update', reason: 'GoTo 400' }, [step('export', 'failure')]);
    expect(onDemandOutcome(imported, [decided, failed])).toMatchObject({ complete: true, outcome: 'failure', actions: [{ reason: 'GoTo 400' }] });
    const nothing = record('mapper', { action: 'Other', step: 'skipped', status: 'skipped', details: { steps: [] } }, [step('scoping'), step('matching'), step('processing', 'skipped')]);
    expect(onDemandOutcome(imported, [nothing])).toMatchObject({ complete: true, outcome: 'skipped', actions: [] });
  });

  it('counts a write held by the deletion threshold as finished, and answers at once when the watcher sent nothing', () => {
    const held = record('mapper', { action: 'StagedDelete', step: 'skipped', status: 'skipped', reason: 'held: waiting for approval', details: { command: 'user.disable', commandId: 'c' } }, [step('processing', 'skipped')]);
    expect(onDemandOutcome(imported, [held])).toMatchObject({ complete: true, outcome: 'skipped', actions: [{ command: 'user.disable', status: 'skipped', reason: 'held: waiting for approval' }] });
    const notSent = { ...imported, changeId: null, event: null, steps: [...imported.steps, { ...step('scoping', 'skipped'), description: 'not assigned to the app' }] };
    expect(onDemandOutcome(notSent, [])).toMatchObject({ complete: true, outcome: 'skipped', changeId: null });
  });
});
