import { Inject, Injectable, Logger } from '@nestjs/common';
import { GROUP_MEMBERS_PER_REQUEST } from '@roster/goto-client';
import { AuditOutbox, SERVICE_CONFIG, advisoryKey } from '@roster/platform';
import { DataSource, type EntityManager } from 'typeorm';
import type { ConnectorConfig } from '../config/connector.config';
import { TARGET_CONNECTOR, TargetError, type TargetConnector, type TargetGroupRef } from '../goto/target-connector';
import { GroupMembershipRepository, groupKeyOf, type PendingGroupChange } from './group-membership.repository';
import { GroupWriteMarks, type GroupWriteMark, type MarkedChange } from './group-write-marks';
import { EXECUTED, SKIPPED, membershipRecords } from './membership-records';
import { planMembershipChanges } from './membership-plan';
import { TargetGroups } from './target-groups';

/** One writer of a group's members at a time across replicas: the flush, or reconciliation removing strangers. */
export const groupLockKey = (schema: string, jobId: string, groupKey: string): string =>
  advisoryKey(`roster-connector-group:${schema}:${jobId}:${groupKey}`);

/** A request GoTo refused as such: sent member by member, only the offending one fails. */
const refused = (error: unknown): error is TargetError => error instanceof TargetError && (error.kind === 'permanent' || error.kind === 'conflict');

/** Why a landed change's executed record was stored by a later flush. */
const LANDED = 'GoTo already held it: an earlier PATCH landed, its answer was not stored';

/** What a flush did: sent what was due, or must wait (another worker flushes, or an unanswered PATCH may still land). */
/** What became of changes done: written by a PATCH (its mark's id), or not sent, for the reason in `note`. */
type Outcome = { write: string; reason?: string } | { note: string };

export type FlushOutcome = { kind: 'flushed' } | { kind: 'busy' } | { kind: 'unsettled'; delayMs: number };

/**
 * Sends a group's pending membership changes: each user's newest change, at most 100 member
 * references per PATCH. One flush per group at a time across replicas (an advisory lock), so
 * changes reach GoTo in the order they were accepted. A transient failure leaves them pending and
 * goes up to the command that flushed; the others find them still pending and try again themselves.
 *
 * The log is exact, as for user writes: each PATCH is marked (with its changes' `attempted`
 * records) before it is sent, and each change's outcome is logged in the transaction that stores it
 * and removes the mark. A mark left behind (an answer lost, a rollback, a crash) makes the next flush
 * read the group from GoTo first: a change it holds is logged executed, not sent a second time.
 */
@Injectable()
export class GroupMembershipFlusher {
  private readonly logger = new Logger(GroupMembershipFlusher.name);

  constructor(
    private readonly db: DataSource,
    private readonly memberships: GroupMembershipRepository,
    private readonly groups: TargetGroups,
    private readonly marks: GroupWriteMarks,
    private readonly outbox: AuditOutbox,
    @Inject(TARGET_CONNECTOR) private readonly target: TargetConnector,
    @Inject(SERVICE_CONFIG) private readonly config: ConnectorConfig,
  ) {}

  flush(jobId: string, groupKey: string): Promise<FlushOutcome> {
    return this.db.transaction((m) => this.flushWithin(m, jobId, groupKey));
  }

  /**
   * The flush in the caller's transaction, whose end releases the group's lock: a caller that must
   * change the group's members' accounts before any other flush runs (a delete) holds it until then.
   */
  async flushWithin(m: EntityManager, jobId: string, groupKey: string): Promise<FlushOutcome> {
    const [{ locked }] = (await m.query(`SELECT pg_try_advisory_xact_lock($1::bigint) AS locked`, [
      groupLockKey(this.config.DATABASE_SCHEMA, jobId, groupKey),
    ])) as { locked: boolean }[];
    // Another worker is flushing this group right now (it sends these changes too).
    if (!locked) return { kind: 'busy' };
    const marks = await this.marks.of(m, jobId, groupKey, this.config.GOTO_TIMEOUT_MS);
    const unsettledForMs = Math.max(0, ...marks.map((mark) => mark.unsettledForMs));
    if (unsettledForMs > 0) return { kind: 'unsettled', delayMs: unsettledForMs };
    // Committed before anything else is sent: a PATCH of this flush that fails and rolls it back may
    // change the very members the reading proved, and a later read could no longer tell they landed.
    if (marks.length > 0) await this.db.transaction((own) => this.settleLanded(own, jobId, groupKey, marks));
    const pending = await this.memberships.pending(m, jobId, groupKey, this.config.GROUP_BATCH_WINDOW_MS);
    if (pending.length === 0) return { kind: 'flushed' };
    const plan = planMembershipChanges(pending, GROUP_MEMBERS_PER_REQUEST);
    // A request short of 100 goes once its oldest change has waited the window; until then more may join it.
    const requests = plan.requests.filter((r) => r.length === GROUP_MEMBERS_PER_REQUEST || r.some((c) => c.due));
    for (const { change, by } of plan.superseded) {
      const note = `superseded by a newer ${by.member ? 'add' : 'removal'} of this member (order ${by.order})`;
      await this.settle(m, jobId, [change], { note });
    }
    const group = pending[0]!.group;
    for (const request of requests) await this.send(m, jobId, group, request);
    this.logger.log({ jobId, group: group.displayName, changes: pending.length, requests: requests.length }, 'group membership sent');
    return { kind: 'flushed' };
  }

  /** Settles, as not sent for `note`, the account's changes still pending in a group whose lock the caller holds (after `flushWithin`). */
  async dropPending(m: EntityManager, jobId: string, groupKey: string, accountId: string, note: string): Promise<void> {
    const pending = await this.memberships.pending(m, jobId, groupKey, this.config.GROUP_BATCH_WINDOW_MS);
    const dropped = pending.filter((p) => p.accountId === accountId);
    if (dropped.length > 0) await this.settle(m, jobId, dropped, { note });
  }

  /**
   * PATCHes an earlier flush sent without storing GoTo's answer: a pending change the group holds
   * landed, and is settled and logged executed; the others stay pending, to be sent again.
   */
  private async settleLanded(m: EntityManager, jobId: string, groupKey: string, marks: readonly GroupWriteMark[]): Promise<void> {
    const pending = await this.memberships.pending(m, jobId, groupKey, this.config.GROUP_BATCH_WINDOW_MS);
    const membersOf = new Map<string, Set<string> | null>();
    for (const groupId of new Set(marks.map((mark) => mark.groupId))) {
      const members = await this.target.readGroupMembers(groupId);
      membersOf.set(groupId, members && new Set(members));
    }
    const landed = new Map<string, MarkedChange & { write: string }>();
    for (const mark of marks) {
      const members = membersOf.get(mark.groupId);
      if (members) for (const c of mark.changes) if (members.has(c.accountId) === c.member) landed.set(c.commandKey, { ...c, write: mark.id });
    }
    // Only the change as it was marked: one accepted again since, for another account, is another write.
    const held = pending.filter((p) => {
      const change = landed.get(p.commandKey);
      return change?.accountId === p.accountId && change.member === p.member;
    });
    for (const change of held) await this.settle(m, jobId, [change], { write: landed.get(change.commandKey)!.write, reason: LANDED });
    await this.marks.remove(marks.map((mark) => mark.id), m);
  }

  private async send(m: EntityManager, jobId: string, group: TargetGroupRef, changes: PendingGroupChange[]): Promise<void> {
    try {
      await this.settle(m, jobId, changes, await this.patch(m, jobId, group, changes));
    } catch (error) {
      if (!refused(error)) throw error;
      if (changes.length === 1) {
        await this.memberships.settle(m, jobId, [changes[0]!.commandKey], { state: 'failed', note: error.message, error: error.details });
        return;
      }
      // One bad member (say, an account deleted meanwhile) fails the whole request: find it.
      for (const change of changes) await this.send(m, jobId, group, [change]);
    }
  }

  /** Done, and logged in the same transaction: executed by `write` (a PATCH's mark), or skipped with the `note` that says why not. */
  private async settle(m: EntityManager, jobId: string, changes: readonly PendingGroupChange[], outcome: Outcome): Promise<void> {
    const note = 'note' in outcome ? outcome.note : undefined;
    await this.memberships.settle(m, jobId, changes.map((c) => c.commandKey), { state: 'done', note });
    await this.outbox.add(m, 'note' in outcome ? membershipRecords(changes, SKIPPED, { reason: outcome.note }) : membershipRecords(changes, EXECUTED, outcome));
  }

  /** The PATCH that carried the changes (its mark), or a note when nothing had to be sent. A group deleted in GoTo (404) is looked up again, or created again. */
  private async patch(m: EntityManager, jobId: string, group: TargetGroupRef, changes: PendingGroupChange[]): Promise<Outcome> {
    const add = changes.filter((c) => c.member).map((c) => c.accountId);
    const remove = changes.filter((c) => !c.member).map((c) => c.accountId);
    for (let attempt = 1; ; attempt++) {
      // Removing from a group GoTo does not have needs nothing, least of all the group.
      const groupId = await this.groups.idOf(m, jobId, group, add.length > 0);
      if (groupId === null) return { note: 'the group is not in GoTo; nothing to remove' };
      const mark = await this.marks.before(jobId, groupKeyOf(group), groupId, changes);
      try {
        await this.target.changeGroupMembers(groupId, { add, remove });
      } catch (error) {
        // GoTo answered, so the PATCH changed nothing: no later flush need ask whether it landed.
        if (error instanceof TargetError && !error.outcomeUnknown) await this.marks.remove([mark]);
        if (!(error instanceof TargetError && error.kind === 'not-found') || attempt > 1) throw error;
        await this.groups.forget(m, jobId, group);
        continue;
      }
      await this.marks.remove([mark], m);
      return { write: mark };
    }
  }
}
