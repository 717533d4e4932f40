import type { AuditStep, OnDemandImport, ProvisioningObjectSummary, ProvisionOnDemandResult } from '@roster/contracts';

type Step = ProvisionOnDemandResult['steps'][number];
type Action = ProvisionOnDemandResult['actions'][number];

/** The connector's steps after which a command does nothing more. */
const FINAL: ReadonlySet<AuditStep> = new Set(['executed', 'failed', 'skipped', 'rejected']);

/**
 * Provisioning on demand as Entra answers it, read from what the pipeline logged under the change's
 * id: the watcher's import, the mapper's scoping, matching and decision, then each write the
 * connector made to GoTo. Complete once the mapper decided and every write it decided is finished
 * (a write held by the deletion threshold counts as finished: it waits for an admin).
 */
export function onDemandOutcome(imported: OnDemandImport, records: readonly ProvisioningObjectSummary[]): ProvisionOnDemandResult {
  const base = { userId: imported.userId, changeId: imported.changeId, logIds: records.map((r) => r.id) };
  if (imported.changeId === null) return { ...base, complete: true, outcome: outcomeOf(imported.steps, []), steps: imported.steps, actions: [] };
  const oldestFirst = [...records].sort((a, b) => a.activityDateTime.localeCompare(b.activityDateTime));
  const mapper = oldestFirst.filter((r) => r.roster.service === 'mapper');
  const connector = oldestFirst.filter((r) => r.roster.service === 'connector');
  const decision = mapper.find((r) => r.provisioningSteps.length > 1) ?? mapper[0];
  if (!decision) return { ...base, complete: false, outcome: 'pending', steps: imported.steps, actions: [] };

  const decided = decision.provisioningSteps.filter((s) => s.provisioningStepType !== 'import');
  const exports: Step[] = [];
  const actions: Action[] = [];
  for (const record of mapper) {
    const command = record.roster.details?.command;
    if (typeof command !== 'string') continue;
    const commandId = record.roster.details?.commandId;
    const held = record.roster.action === 'StagedDelete';
    const last = connector.filter((c) => c.roster.messageId === commandId).at(-1);
    const done = held || (last !== undefined && FINAL.has(last.roster.step));
    actions.push({
      command,
      action: record.roster.action,
      step: held ? 'skipped' : (last?.roster.step ?? null),
      status: held ? 'skipped' : done ? last!.roster.status : 'pending',
      reason: (held ? record : last)?.roster.reason ?? null,
      targetId: last?.targetIdentity.id || null,
    });
    if (held) exports.push(...record.provisioningSteps);
    else if (last && done) exports.push(...last.provisioningSteps);
    else exports.push({ name: 'EntryExport', provisioningStepType: 'export', status: 'unknownFutureValue', description: `${command}: waiting for the connector`, details: {} });
  }
  // Mapper records without a decision's steps (a stale change, a failed mapping) say what happened themselves.
  const others = mapper.filter((r) => r !== decision && r.provisioningSteps.length === 1 && typeof r.roster.details?.command !== 'string').flatMap((r) => r.provisioningSteps);
  const steps = [...imported.steps, ...decided, ...others, ...exports];
  const complete = actions.every((a) => a.status !== 'pending');
  return { ...base, complete, outcome: complete ? outcomeOf(steps, actions) : 'pending', steps, actions };
}

/** A failure or warning anywhere wins; then a write done is a success, and a change that wrote nothing was skipped. */
function outcomeOf(steps: readonly Step[], actions: readonly Action[]): ProvisionOnDemandResult['outcome'] {
  const statuses = new Set(steps.map((s) => s.status));
  if (statuses.has('failure')) return 'failure';
  if (statuses.has('warning')) return 'warning';
  if (actions.some((a) => a.status === 'success')) return 'success';
  return statuses.has('skipped') ? 'skipped' : 'success';
}
