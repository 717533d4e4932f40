import { Inject, Injectable } from '@nestjs/common';
import { ProvisioningCommandType as C, auditActionOfCommand, compareChangeOrder, type Attributes, type ProvisioningCommand } from '@roster/contracts';
import { Deferral, PermanentError, SERVICE_CONFIG, groupedBy, runPrepared, type AuditEntry } from '@roster/platform';
import { DataSource, type EntityManager } from 'typeorm';
import type { IndexMisses } from '../accounts/account-index';
import { desiredAfter, wantsAccount, type UserCommand } from '../accounts/desired-state';
import { TargetAccounts, type Start } from '../accounts/target-accounts';
import type { ConnectorConfig } from '../config/connector.config';
import { DeadLetterRepository } from '../dead-letters/dead-letter.repository';
import type { AccountWrites } from '../goto/bulk-write-session';
import { TargetError } from '../goto/target-connector';
import { groupKeyOf, type MembershipCommand } from '../groups/group-membership.repository';
import { GroupMemberships } from '../groups/group-memberships';
import { LicenseAssigner } from '../licenses/license-assigner';
import { CommandLog } from './command-log';
import { CommandOutcomes, type CommandOutcome } from './command-outcomes';
import { LockedBatch } from './locked-batch';
import { UserLinkRepository, type UserLink } from './user-link.repository';
import { WriteMarks, type WriteMark } from './write-marks';

/** How long a membership change waits for its user's account to be created, and how often it looks. */
const ACCOUNT_WAIT_MS = 10 * 60_000;
const ACCOUNT_RECHECK_MS = 2_000;

const isMembership = (command: ProvisioningCommand): command is MembershipCommand =>
  command.type === C.AddGroupMember || command.type === C.RemoveGroupMember;

/** A user command from the directory records its desired state; a repair of drift brings no new one: it converges to the one recorded. */
const recordsDesired = (command: ProvisioningCommand): command is UserCommand => !isMembership(command) && command.cause !== 'drift';

/**
 * Why a membership change of a user without an account needs no write, if it does not: a removal
 * has nothing to remove, and no add can follow a newer desired state without an account (deleted,
 * or disabled before any account existed). Otherwise the user's create may still be on its way.
 */
function membershipMoot(command: MembershipCommand, link: UserLink): string | null {
  if (command.type === C.RemoveGroupMember) return 'no account in GoTo; nothing to remove';
  const desired = link.desired;
  if (desired && !wantsAccount(desired) && compareChangeOrder(desired.order, command.order) >= 0) {
    return `no account in GoTo, and none is wanted since order ${desired.order}; nothing to add`;
  }
  return null;
}

/** What a batch learned of its commands' users before running them (see ExecuteCommandUseCase.prepare). */
export interface BatchFacts {
  /** Users whose desired state the batch recorded. */
  desiredRecorded: ReadonlySet<string>;
  /** Index entries the batch's creates match, found holding no account. */
  indexMisses: IndexMisses;
  /** The bulk session the running commands' creates and updates share (see BulkWriteSession); absent: each goes alone. */
  writes?: AccountWrites;
}

const NO_FACTS: BatchFacts = { desiredRecorded: new Set(), indexMisses: new Set() };

/** What a command finds once it holds its user's lock: where converging starts, and which earlier writes landed. */
interface Settled {
  start: Start;
  /** Commands whose unsettled write GoTo turned out to hold (logged executed on their behalf). */
  landed: ReadonlySet<string>;
  /** Creates that got no answer and GoTo does not hold (see WriteMarks). */
  notes: WriteMark[];
}

/** Where a command's statements run and its outcome is stored: its own transaction, or its batch's (see LockedBatch). */
interface Unit {
  m: EntityManager;
  store(outcome: CommandOutcome): Promise<void>;
}

/** What a command ended with: what it threw, or null when it succeeded. */
export type Failure = { error: unknown } | null;

/** Runs a command's task when there is room (the connector's limit on commands running at once). */
export type Limit = <T>(userId: string, task: () => Promise<T>) => Promise<T>;

const failureOf = (run: Promise<unknown>): Promise<Failure> => run.then(
  () => null,
  (error: unknown) => ({ error }),
);

/** Where a command starts when no earlier write to its user is unsettled: the link, as Roster knows it. */
const fromLink = (link: UserLink, missed: IndexMisses): Settled => ({
  start: { read: false, linked: link.targetId ? { id: link.targetId, held: link.applied } : null, missed },
  landed: new Set(),
  notes: [],
});

/**
 * Makes GoTo hold the newest desired state of a command's user, whichever of the user's commands
 * runs: the desired state is versioned by change order and stored before anything is written, so an
 * older command retried after a newer one converges to the newer state instead of being dropped (or
 * undoing it). The user's link row lock serialises one user's commands across replicas.
 *
 * The log is exact. Before its first write a command marks it (committed on its own) and logs
 * `attempted`; once GoTo answered it logs `executed` (one record per command, whatever the attempt)
 * and removes the mark with the outcome. A mark left behind — a crash, PostgreSQL gone between
 * GoTo's answer and the commit — makes the user's next command read what GoTo holds rather than
 * trust the link, so the write is neither repeated nor missing from the log. A write that got no
 * answer holds the user's later writes back until it can no longer land.
 */
@Injectable()
export class ExecuteCommandUseCase {
  constructor(
    private readonly db: DataSource,
    private readonly links: UserLinkRepository,
    private readonly marks: WriteMarks,
    private readonly accounts: TargetAccounts,
    private readonly groups: GroupMemberships,
    private readonly licenses: LicenseAssigner,
    private readonly log: CommandLog,
    private readonly deadLetters: DeadLetterRepository,
    private readonly outcomes: CommandOutcomes,
    @Inject(SERVICE_CONFIG) private readonly config: ConnectorConfig,
  ) {}

  /**
   * What a batch's commands would each read on their own, read for all before any of them runs: the
   * desired states of its user commands recorded together (see UserLinkRepository.recordDesiredOfMany),
   * and the index entries its creates match looked up together (see AccountIndex.misses). Should
   * either fail, the commands each do it on their own, so one user's data fails no other command.
   */
  async prepare(jobId: string, commands: readonly ProvisioningCommand[]): Promise<BatchFacts> {
    const users = commands.filter(recordsDesired);
    if (users.length === 0) return NO_FACTS;
    const creates = users.filter((c) => c.type === C.CreateUser).map((c) => c.matching);
    const [desiredRecorded, indexMisses] = await Promise.all([
      this.links.recordDesiredOfMany(this.db, jobId, users).catch(() => NO_FACTS.desiredRecorded),
      this.accounts.misses(jobId, creates).catch(() => NO_FACTS.indexMisses),
    ]);
    return { desiredRecorded, indexMisses };
  }

  /** `batch`: what the command's batch read for it (see prepare). */
  async execute(command: ProvisioningCommand, attempt: number, batch: BatchFacts = NO_FACTS): Promise<void> {
    const { provisioningJobId: jobId, userId } = command;
    // Accepted on an earlier run, a membership change is past its user's checks for good: it only waits for its group.
    if (isMembership(command) && (await this.groups.isAccepted(command))) return this.settleMembership(command, attempt);
    await this.accounts.prepare(jobId, () => this.links.isLinked(this.db, jobId, userId));
    if (recordsDesired(command) && !batch.desiredRecorded.has(userId)) await this.links.recordDesired(this.db, command);
    // Returned, not thrown: the mark of an unanswered write must be committed before its error goes
    // up, and an accepted membership change waits for its group only once its acceptance is committed.
    const next = await this.db.transaction(async (m): Promise<'accepted' | TargetError | Deferral | null> => {
      const link = await this.links.lock(m, jobId, userId);
      if (link.unsettledForMs > 0) {
        throw new Deferral(`an earlier write to user ${userId} got no answer and may still reach GoTo`, link.unsettledForMs, 'unsettled-write');
      }
      const settled = await this.settleEarlierWrites(m, command, link, batch.indexMisses);
      // Committed with the notes just taken: the account may yet appear, and must then be disabled or deleted.
      const waitMs = isMembership(command) ? 0 : this.lateCreateWaitMs(command, link, settled);
      if (waitMs > 0) {
        return new Deferral(`a create of user ${userId} got no answer and may still land in GoTo; reading it again in ${waitMs} ms`, waitMs, 'late-create');
      }
      try {
        const unit: Unit = { m, store: (outcome) => runPrepared(m, this.outcomes.statementOf(jobId, [outcome])).then(() => undefined) };
        if (isMembership(command)) return await this.acceptMembership(unit, command, link, attempt, settled, batch.writes);
        await this.converge(unit, command, link, attempt, settled, batch.writes);
        return null;
      } catch (error) {
        return this.unanswered(m, command, error);
      }
    });
    if (next === 'accepted') await this.settleMembership(command as MembershipCommand, attempt);
    else if (next) throw next;
  }

  /**
   * The commands of a batch that may run under one transaction (see executeLocked): user commands
   * whose desired state the batch recorded, one to a user (a user's second would find its row as the
   * first left it, not as the batch locked it).
   */
  lockable(commands: readonly ProvisioningCommand[], batch: BatchFacts): ProvisioningCommand[] {
    const byUser = groupedBy(commands, (c) => c.userId);
    return commands.filter((c) => recordsDesired(c) && batch.desiredRecorded.has(c.userId) && byUser.get(c.userId)!.length === 1);
  }

  /**
   * Runs lockable commands of one batch as execute would, under one transaction (see LockedBatch):
   * their users locked by one sorted statement, their outcomes stored several to a statement as they
   * finish. A command whose user needs more than converging from its link — earlier writes to settle
   * or to wait for, an account to delete, no row to lock — runs on its own once the transaction has
   * ended. Answers each command's failure; should the transaction fail, every command run in it
   * fails with it (a write that landed is settled by the command's next run, through its mark).
   */
  async executeLocked(commands: readonly ProvisioningCommand[], attempt: number, batch: BatchFacts, limit: Limit): Promise<Failure[]> {
    const jobId = commands[0]!.provisioningJobId;
    for (const { userId } of commands) await this.accounts.prepare(jobId, () => this.links.isLinked(this.db, jobId, userId));
    const users = commands.map((c) => c.userId);
    // Not locked (PostgreSQL away, or chosen to break a deadlock): each command runs on its own, as it would alone.
    const locked = await LockedBatch.open(this.db, this.links, this.marks, this.outcomes, jobId, users).catch(() => null);
    if (!locked) return Promise.all(commands.map((command) => limit(command.userId, () => failureOf(this.execute(command, attempt, batch)))));
    const ran = await Promise.all(
      commands.map((command) =>
        limit(command.userId, async (): Promise<Failure | 'alone'> => {
          const link = locked.links.get(command.userId);
          if (!link?.desired?.present || link.unsettledForMs > 0 || locked.marked.has(command.userId)) return 'alone';
          if (locked.failed) return locked.failed;
          const unit: Unit = { m: locked.m, store: (outcome) => locked.store(outcome) };
          // An unanswered write is the command's failure, answered once the transaction that notes it has committed.
          const converged = this.converge(unit, command, link, attempt, fromLink(link, batch.indexMisses), batch.writes).catch(async (error: unknown) => {
            throw await this.unanswered(locked.m, command, error);
          });
          return failureOf(converged);
        }),
      ),
    );
    const ended = await failureOf(locked.end());
    return Promise.all(
      commands.map((command, i) => {
        const failure = ran[i]!;
        if (failure === 'alone') return limit(command.userId, () => failureOf(this.execute(command, attempt, batch)));
        return failure ?? ended;
      }),
    );
  }

  /** A write GoTo gave no answer to: noted (see execute) and answered as the command's failure; any other error is thrown. */
  private async unanswered(m: EntityManager, command: ProvisioningCommand, error: unknown): Promise<TargetError> {
    if (!(error instanceof TargetError && error.outcomeUnknown)) throw error;
    // GoTo may apply it once it is done waiting; later writes must not go first. A request
    // unanswered for one timeout is taken to be settled within another.
    await this.links.markUnsettled(m, command.provisioningJobId, command.userId, this.config.GOTO_TIMEOUT_MS);
    await this.marks.unanswered(m, command.provisioningJobId, command.userId);
    return error;
  }

  /**
   * Writes to the user that earlier runs left unsettled (a crash, PostgreSQL gone, a rollback after
   * the request) are settled first, whichever command comes next: the account is read from GoTo,
   * each write it holds is logged executed on behalf of its command, and what GoTo answered is where
   * this command starts. A repair of drift reads GoTo too: it knows GoTo differs from what Roster wrote.
   */
  private async settleEarlierWrites(m: EntityManager, command: ProvisioningCommand, link: UserLink, missed: IndexMisses): Promise<Settled> {
    const { provisioningJobId: jobId, userId } = command;
    const marks = await this.marks.of(m, jobId, userId);
    if (marks.length === 0 && command.cause !== 'drift') return fromLink(link, missed);
    const account = await this.accounts.read(m, jobId, link.desired?.matching ?? command.matching, link.targetId);
    const { landed, notes } = await this.marks.settle(m, marks, (intent) => this.accounts.holds(intent, account));
    const written = Object.assign({}, ...landed.map((mark) => mark.intent!.values)) as Attributes;
    return { start: { read: true, account, linkedId: link.targetId, written }, landed: new Set(landed.map((mark) => mark.commandKey)), notes };
  }

  /**
   * How long the command must wait for a create that may still land (0: not): GoTo holds no account
   * and none is wanted, so converging would write nothing, and an account landing later would stay
   * active (or present) with nobody left to disable (or delete) it.
   */
  private lateCreateWaitMs(command: ProvisioningCommand, link: UserLink, settled: Settled): number {
    if (!settled.start.read || settled.start.account !== null) return 0;
    return wantsAccount(link.desired ?? desiredAfter(null, command as UserCommand)) ? 0 : this.marks.recheckInMs(settled.notes);
  }

  /**
   * Converges the user's account to the newest desired state and stores what GoTo answered. Logs
   * `executed` when it wrote, `skipped` when nothing had to change (unless GoTo held it because an
   * earlier run of this command wrote it: that write is logged already).
   */
  private async converge({ m, store }: Unit, command: ProvisioningCommand, link: UserLink, attempt: number, settled: Settled, via?: AccountWrites): Promise<string | null> {
    const { provisioningJobId: jobId, userId } = command;
    // A user linked before desired states were kept has none yet until its next command records one.
    const desired = link.desired ?? desiredAfter(null, command as UserCommand);
    // A membership change that had to create its user's account logs that write as the account's own action.
    const action = auditActionOfCommand[isMembership(command) ? desired.type : command.type];
    const writes = this.marks.guard(command, attempt, action);
    const deleting = desired.present ? null : settled.start.read ? (settled.start.account?.id ?? null) : link.targetId;
    if (deleting) await this.groups.settleBeforeDelete(m, jobId, deleting);
    const converged = await this.accounts.converge(m, jobId, desired, settled.start, writes.before, via).catch(async (error: unknown) => {
      // A gateway's 504 is an answer without an outcome: the write may have landed, so its mark stays.
      if (error instanceof TargetError && error.status !== undefined && !error.outcomeUnknown) await writes.refused().catch(() => undefined);
      throw error;
    });
    // A create GoTo answered leaves an earlier one nothing to land but a 409; one it refused may have met the earlier one's account.
    if (converged.created) await this.marks.forget(m, settled.notes);
    const refusedFor = converged.refusedFor;
    const landedLate = refusedFor ? (await this.marks.settle(m, settled.notes, (intent) => this.accounts.holds(intent, refusedFor))).landed : [];
    // A deleted account left its groups in GoTo by itself: what it was wanted in no longer holds.
    if (!desired.present && link.targetId) await this.groups.forgetWanted(m, jobId, userId);
    const accountId = converged.account?.id ?? null;
    // What Roster set on this account; a new or different account holds none of it.
    const held = accountId === link.targetId ? link : { licenses: null, licenseWarning: null };
    const licensed = accountId
      ? await this.licenses.assign(command, accountId, held, this.log.about(command, attempt), { desired, beforeWrite: writes.before }).catch(async (error: unknown) => {
          // A license request that got no answer commits the transaction without the outcome (see execute): the created account is indexed all the same.
          if (converged.indexed?.length) await runPrepared(m, this.accounts.indexing(jobId, converged.indexed));
          throw error;
        })
      : held;
    const { licenses, licenseWarning } = licensed;
    // The outcome, the mark's removal and the record are stored by one statement (see CommandOutcomes).
    const saved = { targetId: accountId, applied: converged.account?.held ?? null, licenses, licenseWarning };
    const records: AuditEntry[] = [];
    const olderThanDesired = !isMembership(command) && compareChangeOrder(command.order, desired.order) < 0;
    const stale = olderThanDesired ? `stale command (order ${command.order} < ${desired.order})` : undefined;
    const target = { id: accountId ?? undefined, userName: command.matching[0].value };
    const licenseNote = 'note' in licensed ? licensed.note : undefined;
    const landedEarlier = settled.landed.has(command.idempotencyKey) || landedLate.some((mark) => mark.commandKey === command.idempotencyKey);
    if (converged.wrote || licenseNote !== undefined) {
      const reason = [stale && `${stale}: converged to the newer state`, converged.note, licenseNote].filter(Boolean).join('; ');
      // One record per write, whichever run stores it (see WriteGuard); a license note without a
      // write is one per command, unless an earlier run's write that landed has it already.
      const once = writes.once ?? !landedEarlier;
      const durationMs = writes.elapsedMs();
      records.push(this.log.entry(command, attempt, { action, target, step: 'executed', status: 'success', reason: reason || undefined, durationMs, once }));
    } else if (!landedEarlier) {
      const reason = stale ? `${stale}: GoTo already holds the newer state` : (converged.note ?? 'GoTo already holds the desired state');
      records.push(this.log.entry(command, attempt, { action, target, step: 'skipped', status: 'skipped', reason }));
    }
    await store({ command, link: saved, mark: writes.mark, indexed: converged.indexed ?? [], records });
    return accountId;
  }

  /**
   * A membership change is accepted to share its group's next PATCH, unless a newer change of the
   * same membership was accepted already. A user whose account is wanted but not there yet (its
   * create still queued, or lost) gets it first, as an update would.
   */
  private async acceptMembership(unit: Unit, command: MembershipCommand, link: UserLink, attempt: number, settled: Settled, via?: AccountWrites): Promise<'accepted' | null> {
    const { m } = unit;
    const { provisioningJobId: jobId, userId } = command;
    const groupKey = groupKeyOf(command.group);
    const newest = link.groupOrders[groupKey];
    // A repair carries the user's newest order, not the group's: only a membership change made since overtakes it.
    if (newest !== undefined && compareChangeOrder(command.order, newest) < 0 && command.cause !== 'drift') {
      const reason = `stale command (order ${command.order} < ${newest}): a newer change of this membership was accepted`;
      await this.log.record(command, attempt, { step: 'skipped', status: 'skipped', reason }, m);
      return null;
    }
    let accountId = await this.accounts.idOf(jobId, link.targetId, command.matching);
    // Earlier writes were just read back from GoTo (one may have made the account): what GoTo holds
    // is linked and brought to the newest desired state now, or nothing would ever store it.
    const readBack = settled.start.read && link.desired !== null;
    if (readBack || (!accountId && link.desired && wantsAccount(link.desired))) accountId = await this.converge(unit, command, link, attempt, settled, via);
    const moot = !accountId && membershipMoot(command, link);
    if (moot) {
      await this.log.record(command, attempt, { step: 'skipped', status: 'skipped', reason: moot }, m);
      // An add older than this removal may still come (retried, or another batch's, once the account exists): it is stale.
      if (command.type === C.RemoveGroupMember) await this.links.acceptedMembership(m, jobId, userId, groupKey, command.order);
      return null;
    }
    if (!accountId) {
      // The create for this user may still be queued behind this command (they share an order), or
      // be retried through an outage: wait for it without using up attempts, which ran out before
      // a create held back 30 s and lost the membership for good. Past that, retry as a failure.
      // Not a TargetError: GoTo did nothing wrong, so the circuit breaker must not count it.
      const reason = `no GoTo account for user ${userId} yet`;
      if ((await this.links.msSince(m, command.occurredAt)) < ACCOUNT_WAIT_MS) throw new Deferral(`${reason}; its create may still be queued`, ACCOUNT_RECHECK_MS, 'no-account-yet');
      throw new Error(reason);
    }
    const target = { id: accountId, userName: command.matching[0].value };
    await this.groups.accept(m, command, accountId, this.log.entry(command, attempt, { step: 'executed', status: 'success', target, once: true }));
    await this.links.acceptedMembership(m, jobId, userId, groupKey, command.order);
    return 'accepted';
  }

  private async settleMembership(command: MembershipCommand, attempt: number): Promise<void> {
    const settled = await this.groups.settle(command);
    if (settled.kind === 'wait') throw new Deferral(settled.reason, settled.delayMs, 'group-batch');
    if (settled.kind === 'failed') throw new PermanentError(settled.reason, settled.error);
    const target = { id: settled.accountId, userName: command.matching[0].value };
    if (settled.log === 'executed') await this.log.record(command, attempt, { step: 'executed', status: 'success', reason: settled.note, target, once: true });
    if (settled.log === 'skipped') await this.log.record(command, attempt, { step: 'skipped', status: 'skipped', reason: settled.note, target });
    await this.deadLetters.resolveSupersededBy(this.db.manager, command);
  }


}
