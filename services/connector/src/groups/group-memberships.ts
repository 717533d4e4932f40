import { Inject, Injectable } from '@nestjs/common';
import { GROUP_MEMBERS_PER_REQUEST } from '@roster/goto-client';
import { SERVICE_CONFIG } from '@roster/platform';
import { DataSource, type EntityManager } from 'typeorm';
import type { ConnectorConfig } from '../config/connector.config';
import { GroupMembershipFlusher } from './group-membership.flusher';
import { GroupMembershipRepository, type MembershipCommand } from './group-membership.repository';

/** Another worker is sending the group's changes (ours among them): look again this soon. */
const BUSY_RECHECK_MS = 200;

/** Where an accepted membership command stands. */
export type MembershipSettlement =
  | { kind: 'wait'; delayMs: number; reason: string }
  /** `sent`: GoTo received the change (a change settled with a note was not sent: superseded, or nothing to do). */
  | { kind: 'done'; accountId?: string; note?: string; sent: boolean }
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

  /** Called holding the user's lock, after the stale check. */
  accept(m: EntityManager, command: MembershipCommand, accountId: string): Promise<void> {
    return this.memberships.accept(m, command, accountId);
  }

  /**
   * A deleted account left its groups in GoTo without a removal being sent (GoTo drops it itself):
   * what the user was wanted in no longer holds, or reconciliation would put a later account back.
   */
  forgetWanted(m: EntityManager, jobId: string, userId: string): Promise<void> {
    return this.memberships.forgetWanted(m, jobId, userId);
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
      if (current === null) return { kind: 'done', note: 'already settled by an earlier run of this command', sent: true };
      if (current.state !== 'pending') {
        await this.memberships.forget(this.db, jobId, command.idempotencyKey);
        return current.state === 'done'
          ? { kind: 'done', accountId: current.accountId, note: current.note ?? undefined, sent: current.note === null }
          : { kind: 'failed', reason: current.note, error: current.error };
      }
      const window = this.config.GROUP_BATCH_WINDOW_MS;
      const delayMs = await this.memberships.msUntilDue(this.db, jobId, current.groupKey, window, GROUP_MEMBERS_PER_REQUEST);
      const group = command.group.displayName;
      if (delayMs > 0) return { kind: 'wait', delayMs, reason: `waiting up to ${window} ms for other changes to group "${group}" to share one request` };
      if (!(await this.flusher.flush(jobId, current.groupKey))) {
        return { kind: 'wait', delayMs: BUSY_RECHECK_MS, reason: `changes to group "${group}" are being sent by another worker` };
      }
    }
    return { kind: 'wait', delayMs: BUSY_RECHECK_MS, reason: `changes to group "${command.group.displayName}" are still pending` };
  }
}
