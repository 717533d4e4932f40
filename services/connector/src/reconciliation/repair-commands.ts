import { ProvisioningCommandType as C, type Attributes, type MatchingAttribute, type ProvisioningCommand } from '@roster/contracts';
import { isKeptAsHash } from '../accounts/applied-state';
import type { LateCreate } from './desired-state.source';
import type { DesiredAccount, Repair } from './drift';

export type UserRepair = Exclude<Repair, { kind: 'remove-stranger' }>;

interface RunRef {
  jobId: string;
  runId: string;
  /** Names the run's batch of commands, so two batches of one run never share a key. */
  batch: string;
  occurredAt: string;
}

/**
 * The commands that make the repairs, taking the same per-user path as the mapper's (user lock,
 * stale check, rate limit, retries, the log), so a repair cannot race a command of the same user:
 * each carries the user's applied order, so one a newer command overtook is skipped as stale.
 */
export function repairCommands(repairs: readonly UserRepair[], desired: readonly DesiredAccount[], run: RunRef): ProvisioningCommand[] {
  const byUser = new Map(desired.map((d) => [d.userId, d]));
  return repairs.map((repair, i) => {
    const user = byUser.get(repair.userId)!;
    const attributes = sendable(user);
    const base = repairBase(run, i, repair.userId, user.order, matchingOf(attributes));
    switch (repair.kind) {
      // An update of the vanished account answers 404 and creates it again (or adopts one of its name).
      case 'recreate':
        return { ...base, type: C.CreateUser, attributes };
      case 'update':
        return { ...base, type: C.UpdateUser, attributes, changed: repair.changed };
      case 'disable':
        return { ...base, type: C.DisableUser };
      case 'add-member':
        return { ...base, type: C.AddGroupMember, group: repair.group };
      case 'remove-member':
        return { ...base, type: C.RemoveGroupMember, group: repair.group };
    }
  });
}

/**
 * A command for each user whose create landed late and unseen (GoTo lists its account, no account
 * is linked): its run reads the account, logs the create executed and converges the account to the
 * user's newest desired state (a repair converges to the state recorded, whatever it carries).
 */
export function lateCreateCommands(users: readonly LateCreate[], run: RunRef): ProvisioningCommand[] {
  return users.map((user, i) => {
    const base = repairBase(run, i, user.userId, user.order, [{ targetAttribute: 'userName', value: user.userName, precedence: 1 }]);
    // The type names the write in the log: what the newest desired state asks of the account.
    if (user.desired && !user.desired.present) return { ...base, type: C.DeleteUser };
    if (user.desired?.attributes?.['active'] !== false) return { ...base, type: C.UpdateUser, attributes: { active: true }, changed: ['active'] };
    return { ...base, type: C.DisableUser };
  });
}

/** What every repair command of a run carries: the `i`th of its batch, at the user's newest order, caused by drift. */
function repairBase(run: RunRef, i: number, userId: string, order: string, matching: MatchingAttribute[]) {
  return {
    version: 1 as const,
    idempotencyKey: `${run.jobId}/reconcile-${run.runId}/${run.batch}-${i}`,
    correlationId: `reconcile-${run.runId}`,
    provisioningJobId: run.jobId,
    occurredAt: run.occurredAt,
    userId,
    order,
    matching,
    cause: 'drift' as const,
  };
}

/** The desired attributes less those kept only as a hash, which must never be sent; `active` as desired. */
function sendable(user: DesiredAccount): Attributes {
  const kept = Object.entries(user.attributes).filter(([, v]) => !isKeptAsHash(v));
  return { ...Object.fromEntries(kept), active: user.active };
}

/** The attributes GoTo can find an account by, userName first. */
function matchingOf(attributes: Attributes): MatchingAttribute[] {
  const matching: MatchingAttribute[] = [];
  for (const targetAttribute of ['userName', 'externalId']) {
    const value = attributes[targetAttribute];
    if (typeof value === 'string' && value !== '') matching.push({ targetAttribute, value, precedence: matching.length + 1 });
  }
  return matching;
}
