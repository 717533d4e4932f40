import { Inject, Injectable } from '@nestjs/common';
import { ProvisioningCommandType as C, auditActionOfCommand, compareChangeOrder, type ProvisioningCommand } from '@roster/contracts';
import { Deferral, PermanentError, SERVICE_CONFIG } from '@roster/platform';
import { DataSource, type EntityManager } from 'typeorm';
import { desiredAfter, wantsAccount, type UserCommand } from '../accounts/desired-state';
import { TargetAccounts, type BeforeWrite } from '../accounts/target-accounts';
import type { ConnectorConfig } from '../config/connector.config';
import { DeadLetterRepository } from '../dead-letters/dead-letter.repository';
import { TargetError } from '../goto/target-connector';
import { groupKeyOf, type MembershipCommand } from '../groups/group-membership.repository';
import { GroupMemberships } from '../groups/group-memberships';
import { LicenseAssigner } from '../licenses/license-assigner';
import { CommandLog } from './command-log';
import { UserLinkRepository, type UserLink } from './user-link.repository';
import { WriteAttemptRepository } from './write-attempts.repository';

const isMembership = (command: ProvisioningCommand): command is MembershipCommand =>
  command.type === C.AddGroupMember || command.type === C.RemoveGroupMember;

/** The writes one run of a command makes: the first is marked and logged `attempted` before it is sent. */
interface WriteGuard {
  before: BeforeWrite;
  readonly count: number;
}

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
    private readonly attempts: WriteAttemptRepository,
    private readonly accounts: TargetAccounts,
    private readonly groups: GroupMemberships,
    private readonly licenses: LicenseAssigner,
    private readonly log: CommandLog,
    private readonly deadLetters: DeadLetterRepository,
    @Inject(SERVICE_CONFIG) private readonly config: ConnectorConfig,
  ) {}

  async execute(command: ProvisioningCommand, attempt: number): Promise<void> {
    const { provisioningJobId: jobId, userId } = command;
    // Accepted on an earlier run, a membership change is past its user's checks for good: it only waits for its group.
    if (isMembership(command) && (await this.groups.isAccepted(command))) return this.settleMembership(command, attempt);
    await this.accounts.prepare(jobId, () => this.links.isLinked(this.db, jobId, userId));
    // A repair of drift brings no new directory state: it converges to the one recorded.
    if (!isMembership(command) && command.cause !== 'drift') await this.links.recordDesired(this.db, command);
    const writes = this.guard(command, attempt);
    let next: 'accepted' | TargetError | null;
    try {
      // Returned, not thrown: the mark of an unanswered write must be committed before its error goes
      // up, and an accepted membership change waits for its group only once its acceptance is committed.
      next = await this.db.transaction(async (m) => {
        const link = await this.links.lock(m, jobId, userId);
        if (link.unsettledForMs > 0) {
          throw new Deferral(`an earlier write to user ${userId} got no answer and may still reach GoTo`, link.unsettledForMs, 'unsettled-write');
        }
        try {
          if (isMembership(command)) return await this.acceptMembership(m, command, link, attempt, writes);
          await this.converge(m, command, link, attempt, writes);
          return null;
        } catch (error) {
          if (!(error instanceof TargetError && error.outcomeUnknown)) throw error;
          // GoTo may apply it once it is done waiting; later writes must not go first. A request
          // unanswered for one timeout is taken to be settled within another.
          await this.links.markUnsettled(m, jobId, userId, this.config.GOTO_TIMEOUT_MS);
          return error;
        }
      });
    } catch (error) {
      // The one write was refused: nothing landed, so the next command need not ask GoTo.
      if (writes.count === 1 && error instanceof TargetError && error.status !== undefined) {
        await this.attempts.settle(this.db, jobId, userId, command.idempotencyKey).catch(() => undefined);
      }
      throw error;
    }
    if (next === 'accepted') await this.settleMembership(command as MembershipCommand, attempt);
    else if (next) throw next;
  }

  /**
   * Converges the user's account to the newest desired state and stores what GoTo answered. Logs
   * `executed` when it wrote, or when GoTo already held the state an earlier attempt of this command
   * wrote without storing the outcome; `skipped` when nothing had to change.
   */
  private async converge(m: EntityManager, command: ProvisioningCommand, link: UserLink, attempt: number, writes: WriteGuard): Promise<string | null> {
    const { provisioningJobId: jobId, userId } = command;
    // A user linked before desired states were kept has none yet until its next command records one.
    const desired = link.desired ?? desiredAfter(null, command as UserCommand);
    const marks = await this.attempts.of(m, jobId, userId);
    const known = link.targetId ? { id: link.targetId, held: link.applied } : null;
    // A repair of drift knows GoTo differs from what Roster wrote: what GoTo holds is read first.
    const verify = marks.length > 0 || command.cause === 'drift';
    const converged = await this.accounts.converge(m, jobId, desired, known, verify, writes.before);
    // A deleted account left its groups in GoTo by itself: what it was wanted in no longer holds.
    if (!desired.present && known) await this.groups.forgetWanted(m, jobId, userId);
    const accountId = converged.account?.id ?? null;
    // What Roster set on this account; a new or different account holds none of it.
    const held = accountId === link.targetId ? link : { licenses: null, licenseWarning: null };
    const licensed = accountId
      ? await this.licenses.assign(command, accountId, held, this.log.about(command, attempt), { desired, beforeWrite: writes.before })
      : held;
    const { licenses, licenseWarning } = licensed;
    await this.links.save(m, jobId, userId, { targetId: accountId, applied: converged.account?.held ?? null, licenses, licenseWarning });
    await this.attempts.settle(m, jobId, userId, command.idempotencyKey);
    await this.deadLetters.resolveSupersededBy(m, command);

    const olderThanDesired = !isMembership(command) && compareChangeOrder(command.order, desired.order) < 0;
    const stale = olderThanDesired ? `stale command (order ${command.order} < ${desired.order})` : undefined;
    // A membership change that had to create its user's account logs that write as the account's own action.
    const action = isMembership(command) ? { action: auditActionOfCommand[desired.type] } : {};
    const target = { id: accountId ?? undefined, userName: command.matching[0].value };
    const licenseNote = 'note' in licensed ? licensed.note : undefined;
    const wrote = converged.wrote || licenseNote !== undefined;
    const landedEarlier = !wrote && marks.includes(command.idempotencyKey);
    if (wrote || landedEarlier) {
      const reason = landedEarlier
        ? 'GoTo already held it: the write of an earlier attempt landed, its outcome was not stored'
        : [stale && `${stale}: converged to the newer state`, converged.note, licenseNote].filter(Boolean).join('; ');
      await this.log.record(command, attempt, { ...action, target, step: 'executed', status: 'success', reason: reason || undefined, once: true }, m);
    } else {
      const reason = stale ? `${stale}: GoTo already holds the newer state` : (converged.note ?? 'GoTo already holds the desired state');
      await this.log.record(command, attempt, { ...action, target, step: 'skipped', status: 'skipped', reason }, m);
    }
    return accountId;
  }

  /**
   * A membership change is accepted to share its group's next PATCH, unless a newer change of the
   * same membership was accepted already. A user whose account is wanted but not there yet (its
   * create still queued, or lost) gets it first, as an update would.
   */
  private async acceptMembership(m: EntityManager, command: MembershipCommand, link: UserLink, attempt: number, writes: WriteGuard): Promise<'accepted' | null> {
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
    if (!accountId && link.desired && wantsAccount(link.desired)) accountId = await this.converge(m, command, link, attempt, writes);
    // The create for this user may still be queued behind this command (they share an order): retry.
    // Not a TargetError: GoTo did nothing wrong, so the circuit breaker must not count it.
    if (!accountId) throw new Error(`no GoTo account for user ${userId} yet`);
    await this.groups.accept(m, command, accountId);
    await this.links.acceptedMembership(m, jobId, userId, groupKey, command.order);
    await this.attempts.settle(m, jobId, userId, command.idempotencyKey);
    return 'accepted';
  }

  private async settleMembership(command: MembershipCommand, attempt: number): Promise<void> {
    const settled = await this.groups.settle(command);
    if (settled.kind === 'wait') throw new Deferral(settled.reason, settled.delayMs, 'group-batch');
    if (settled.kind === 'failed') throw new PermanentError(settled.reason, settled.error);
    const target = { id: settled.accountId, userName: command.matching[0].value };
    if (settled.sent) await this.log.record(command, attempt, { step: 'executed', status: 'success', reason: settled.note, target, once: true });
    else await this.log.record(command, attempt, { step: 'skipped', status: 'skipped', reason: settled.note, target });
    await this.deadLetters.resolveSupersededBy(this.db.manager, command);
  }

  /** Before the command's first write, its mark and its `attempted` record, both durable before the request leaves. */
  private guard(command: ProvisioningCommand, attempt: number): WriteGuard {
    let count = 0;
    return {
      get count() {
        return count;
      },
      before: async () => {
        if (count++ > 0) return;
        await this.db.transaction(async (m) => {
          await this.attempts.mark(m, command.provisioningJobId, command.userId, command.idempotencyKey);
          await this.log.record(command, attempt, { step: 'attempted', status: 'pending', once: true }, m);
        });
      },
    };
  }
}
