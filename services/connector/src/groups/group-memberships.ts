import { Inject, Injectable } from '@nestjs/common';
import { GROUP_MEMBERS_PER_REQUEST } from '@roster/goto-client';
import { Deferral, SERVICE_CONFIG, type AuditEntry } from '@roster/platform';
import { DataSource, type EntityManager } from 'typeorm';
import type { ConnectorConfig } from '../config/connector.config';
import { GroupMembershipFlusher } from './group-membership.flusher';
import { GroupMembershipRepository, type MembershipCommand } from './group-membership.repository';

/** Another worker is sending the group's changes (ours among them): look again this soon. */
const BUSY_RECHECK_MS = 200;

/** Where an accepted membership command stands. */
export type MembershipSettlement =
  | { kind: 'wait'; delayMs: number; reason: string }
  /**
   * `log`: what the command still has to log itself — nothing when the flush logged the outcome; else
   * `executed` when GoTo received the change, `skipped` when a note says why not (superseded, nothing to do).
   */
  | { kind: 'done'; accountId?: string; note?: string; log: 'executed' | 'skipped' | null }
  | { kind: 'failed'; reason: string; error: { kind: string; status?: number; body?: unknown } };

/**
 * Group membership commands share their group's PATCHes. A command is first accepted under its
 * user's lock (stale check, account id), then waits — without holding a worker or a connection —
 * until its group's changes are due: 100 pending, or the oldest pending for GROUP_BATCH_WINDOW_MS.
 * The first command to find them due sends them all; each command then reads back its own outcome,
 * so each still succeeds, retries or is dead-lettered on its own.
 */
@Injectable()
export class GroupMemberships {
  constructor(
    private readonly db: DataSource,
    private readonly memberships: GroupMembershipRepository,
    private readonly flusher: GroupMembershipFlusher,
    @Inject(SERVICE_CONFIG) private readonly config: ConnectorConfig,
  ) {}

  /** Called holding the user's lock, after the stale check; `record` is what the flush logs of the change. */
  accept(m: EntityManager, command: MembershipCommand, accountId: string, record: AuditEntry): Promise<void> {
    return this.memberships.accept(m, command, accountId, record);
  }

  /**
   * A deleted account left its groups in GoTo without a removal being sent (GoTo drops it itself):
   * what the user was wanted in no longer holds, or reconciliation would put a later account back.
   */
  forgetWanted(m: EntityManager, jobId: string, userId: string): Promise<void> {
    return this.memberships.forgetWanted(m, jobId, userId);
  }

  /**
   * Before an account is deleted, the group PATCHes that carried it are settled: once it is gone, a
   * group read can no longer tell whether an unanswered add of it landed, and the log would miss a
   * write GoTo applied. Its changes still pending are dropped (GoTo would refuse them). The groups'
   * locks stay with the deleting transaction, so no flush sends the account before the delete.
   */
  async settleBeforeDelete(m: EntityManager, jobId: string, accountId: string): Promise<void> {
    for (const groupKey of await this.memberships.groupsCarrying(m, jobId, accountId)) {
      const flushed = await this.flusher.flushWithin(m, jobId, groupKey);
      if (flushed.kind === 'busy') throw new Deferral(`changes to a group of account ${accountId} are being sent by another worker`, BUSY_RECHECK_MS, 'group-batch');
      if (flushed.kind === 'unsettled') {
        throw new Deferral(`a change to a group of account ${accountId} got no answer and may still reach GoTo`, flushed.delayMs, 'group-batch');
      }
      await this.flusher.dropPending(m, jobId, groupKey, accountId, 'the account is being deleted; GoTo drops its memberships');
    }
  }

  /** Accepted before (this is a later run of the command): it is past the stale check for good. */
  async isAccepted(command: MembershipCommand): Promise<boolean> {
    return (await this.memberships.stateOf(this.db, command.provisioningJobId, command.idempotencyKey)) !== null;
  }

  async settle(command: MembershipCommand): Promise<MembershipSettlement> {
    const jobId = command.provisioningJobId;
    // Two passes at most: the flush sends every change pending when it starts, this one included.
    for (let pass = 0; pass < 2; pass++) {
      const current = await this.memberships.stateOf(this.db, jobId, command.idempotencyKey);
      // Read and logged by an earlier run of this command (its flush logged the outcome).
      if (current === null) return { kind: 'done', log: null };
      if (current.state !== 'pending') {
        await this.memberships.forget(this.db, jobId, command.idempotencyKey);
        if (current.state === 'failed') return { kind: 'failed', reason: current.note, error: current.error };
        const log = current.logged ? null : current.note === null ? 'executed' : 'skipped';
        return { kind: 'done', accountId: current.accountId, note: current.note ?? undefined, log };
      }
      const window = this.config.GROUP_BATCH_WINDOW_MS;
      const delayMs = await this.memberships.msUntilDue(this.db, jobId, current.groupKey, window, GROUP_MEMBERS_PER_REQUEST);
      const group = command.group.displayName;
      if (delayMs > 0) return { kind: 'wait', delayMs, reason: `waiting up to ${window} ms for other changes to group "${group}" to share one request` };
      const flushed = await this.flusher.flush(jobId, current.groupKey);
      if (flushed.kind === 'busy') return { kind: 'wait', delayMs: BUSY_RECHECK_MS, reason: `changes to group "${group}" are being sent by another worker` };
      if (flushed.kind === 'unsettled') {
        return { kind: 'wait', delayMs: flushed.delayMs, reason: `an earlier change to group "${group}" got no answer and may still reach GoTo` };
      }
    }
    return { kind: 'wait', delayMs: BUSY_RECHECK_MS, reason: `changes to group "${command.group.displayName}" are still pending` };
  }
}
