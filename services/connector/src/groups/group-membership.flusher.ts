import { Inject, Injectable, Logger } from '@nestjs/common';
import { GROUP_MEMBERS_PER_REQUEST } from '@roster/goto-client';
import { SERVICE_CONFIG, advisoryKey } from '@roster/platform';
import { DataSource, type EntityManager } from 'typeorm';
import type { ConnectorConfig } from '../config/connector.config';
import { TARGET_CONNECTOR, TargetError, type TargetConnector, type TargetGroupRef } from '../goto/target-connector';
import { GroupMembershipRepository, type PendingGroupChange } from './group-membership.repository';
import { planMembershipChanges } from './membership-plan';
import { TargetGroups } from './target-groups';

/** One writer of a group's members at a time across replicas: the flush, or reconciliation removing strangers. */
export const groupLockKey = (schema: string, jobId: string, groupKey: string): string =>
  advisoryKey(`roster-connector-group:${schema}:${jobId}:${groupKey}`);

/** A request GoTo refused as such: sent member by member, only the offending one fails. */
const refused = (error: unknown): error is TargetError => error instanceof TargetError && (error.kind === 'permanent' || error.kind === 'conflict');

/**
 * Sends a group's pending membership changes: each user's newest change, at most 100 member
 * references per PATCH. One flush per group at a time across replicas (an advisory lock), so
 * changes reach GoTo in the order they were accepted. A transient failure leaves them pending and
 * goes up to the command that flushed; the others find them still pending and try again themselves.
 */
@Injectable()
export class GroupMembershipFlusher {
  private readonly logger = new Logger(GroupMembershipFlusher.name);

  constructor(
    private readonly db: DataSource,
    private readonly memberships: GroupMembershipRepository,
    private readonly groups: TargetGroups,
    @Inject(TARGET_CONNECTOR) private readonly target: TargetConnector,
    @Inject(SERVICE_CONFIG) private readonly config: ConnectorConfig,
  ) {}

  /** false: another worker is flushing this group right now (it sends these changes too). */
  flush(jobId: string, groupKey: string): Promise<boolean> {
    return this.db.transaction(async (m) => {
      const [{ locked }] = (await m.query(`SELECT pg_try_advisory_xact_lock($1::bigint) AS locked`, [
        groupLockKey(this.config.DATABASE_SCHEMA, jobId, groupKey),
      ])) as { locked: boolean }[];
      if (!locked) return false;
      const pending = await this.memberships.pending(m, jobId, groupKey, this.config.GROUP_BATCH_WINDOW_MS);
      if (pending.length === 0) return true;
      const plan = planMembershipChanges(pending, GROUP_MEMBERS_PER_REQUEST);
      // A request short of 100 goes once its oldest change has waited the window; until then more may join it.
      const requests = plan.requests.filter((r) => r.length === GROUP_MEMBERS_PER_REQUEST || r.some((c) => c.due));
      for (const { commandKey, by } of plan.superseded) {
        const note = `superseded by a newer ${by.member ? 'add' : 'removal'} of this member (order ${by.order})`;
        await this.memberships.settle(m, jobId, [commandKey], { state: 'done', note });
      }
      const group = pending[0]!.group;
      for (const request of requests) await this.send(m, jobId, group, request);
      this.logger.log({ jobId, group: group.displayName, changes: pending.length, requests: requests.length }, 'group membership sent');
      return true;
    });
  }

  private async send(m: EntityManager, jobId: string, group: TargetGroupRef, changes: PendingGroupChange[]): Promise<void> {
    const keys = changes.map((c) => c.commandKey);
    try {
      // Settled with a note only when nothing was sent: what tells the command's log not to claim a write.
      const note = await this.patch(m, jobId, group, changes);
      await this.memberships.settle(m, jobId, keys, { state: 'done', note });
    } catch (error) {
      if (!refused(error)) throw error;
      if (changes.length === 1) {
        await this.memberships.settle(m, jobId, keys, { state: 'failed', note: error.message, error: error.details });
        return;
      }
      // One bad member (say, an account deleted meanwhile) fails the whole request: find it.
      for (const change of changes) await this.send(m, jobId, group, [change]);
    }
  }

  /** Returns a note when nothing had to be sent. A group deleted in GoTo (404) is looked up again, or created again. */
  private async patch(m: EntityManager, jobId: string, group: TargetGroupRef, changes: PendingGroupChange[]): Promise<string | undefined> {
    const add = changes.filter((c) => c.member).map((c) => c.accountId);
    const remove = changes.filter((c) => !c.member).map((c) => c.accountId);
    for (let attempt = 1; ; attempt++) {
      // Removing from a group GoTo does not have needs nothing, least of all the group.
      const groupId = await this.groups.idOf(m, jobId, group, add.length > 0);
      if (groupId === null) return 'the group is not in GoTo; nothing to remove';
      try {
        await this.target.changeGroupMembers(groupId, { add, remove });
        return undefined;
      } catch (error) {
        if (!(error instanceof TargetError && error.kind === 'not-found') || attempt > 1) throw error;
        await this.groups.forget(m, jobId, group);
      }
    }
  }
}
