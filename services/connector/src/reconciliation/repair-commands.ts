import { ProvisioningCommandType as C, type Attributes, type MatchingAttribute, type ProvisioningCommand } from '@roster/contracts';
import { isKeptAsHash } from '../accounts/applied-state';
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
    const base = {
      version: 1 as const,
      idempotencyKey: `${run.jobId}/reconcile-${run.runId}/${run.batch}-${i}`,
      correlationId: `reconcile-${run.runId}`,
      provisioningJobId: run.jobId,
      occurredAt: run.occurredAt,
      userId: repair.userId,
      order: user.order,
      matching: matchingOf(attributes),
      cause: 'drift' as const,
    };
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
