import { Inject, Injectable } from '@nestjs/common';
import { ProvisioningCommandType as C, compareChangeOrder, type Attributes, type ProvisioningCommand } from '@roster/contracts';
import { Deferral, PermanentError, SERVICE_CONFIG } from '@roster/platform';
import { DataSource, type EntityManager } from 'typeorm';
import { AccountIndex } from '../account-index/account-index';
import type { ConnectorConfig } from '../config/connector.config';
import { DeadLetterRepository } from '../dead-letters/dead-letter.repository';
import type { MembershipCommand } from '../groups/group-membership.repository';
import { GroupMemberships } from '../groups/group-memberships';
import { LicenseAssigner, type LicenseState } from '../licenses/license-assigner';
import { TARGET_CONNECTOR, TargetError, type TargetConnector } from '../goto/target-connector';
import { appliedStateOf, driftedAttributes } from './applied-state';
import { CommandLog } from './command-log';
import { UserLinkRepository, type UserLink } from './user-link.repository';

type AttributeCommand = Extract<ProvisioningCommand, { attributes: unknown }>;

interface Outcome {
  targetId: string | null;
  /** The attributes the account holds as far as Roster wrote them. */
  applied: Attributes | null;
  /** What was actually done, when it differs from the command (adopted, converged, nothing to do). */
  note?: string;
  /** A group membership change accepted to share its group's next PATCH: executed once that is sent. */
  accepted?: true;
}

/**
 * Executes one command against the target. The user's link row lock serialises commands for one
 * user across all connector replicas; commands older than the newest applied are dropped; every
 * write is preceded by a check of what the target holds (the account index, then 409 → find and
 * adopt), so a command retried after a crash or a timeout with unknown outcome never creates a
 * second account. A write that got no answer holds the user's later writes back until it can no
 * longer land, so it cannot overwrite them.
 */
@Injectable()
export class ExecuteCommandUseCase {
  constructor(
    private readonly db: DataSource,
    private readonly links: UserLinkRepository,
    private readonly index: AccountIndex,
    private readonly log: CommandLog,
    private readonly groups: GroupMemberships,
    private readonly deadLetters: DeadLetterRepository,
    private readonly licenses: LicenseAssigner,
    @Inject(TARGET_CONNECTOR) private readonly target: TargetConnector,
    @Inject(SERVICE_CONFIG) private readonly config: ConnectorConfig,
  ) {}

  async execute(command: ProvisioningCommand, attempt: number): Promise<void> {
    const { provisioningJobId: jobId, userId } = command;
    // Accepted on an earlier run, a membership change is past its user's checks for good: it only waits for its group.
    if (isMembership(command) && (await this.groups.isAccepted(command))) return this.settleMembership(command, attempt);
    // A user without an account must be matched; the index loads before this command holds a connection.
    if (!this.index.isFresh(jobId) && !(await this.links.isLinked(this.db, jobId, userId))) await this.index.ensureFresh(jobId);
    // Returned, not thrown: the mark of an unanswered write must be committed before its error goes
    // up, and an accepted membership change waits for its group only once its acceptance is committed.
    const next = await this.db.transaction(async (m) => {
      const link = await this.links.lock(m, jobId, userId);
      if (compareChangeOrder(command.order, link.lastOrder) < 0) {
        await this.log.record(command, attempt, {
          step: 'skipped',
          status: 'skipped',
          reason: `stale command (order ${command.order} < ${link.lastOrder} already applied)`,
        });
        return null;
      }
      if (link.unsettledForMs > 0) {
        const reason = `an earlier write to user ${userId} got no answer and may still reach GoTo`;
        throw new Deferral(reason, link.unsettledForMs, 'unsettled-write');
      }
      let outcome: Outcome;
      try {
        outcome = await this.apply(m, command, link);
      } catch (error) {
        if (error instanceof TargetError && error.outcomeUnknown) {
          // GoTo may apply it once it is done waiting; later writes must not go first. A request
          // unanswered for one timeout is taken to be settled within another.
          await this.links.markUnsettled(m, jobId, userId, this.config.GOTO_TIMEOUT_MS);
          return error;
        }
        throw error;
      }
      const saved = { targetId: outcome.targetId, lastOrder: command.order, applied: outcome.applied };
      if (outcome.accepted) {
        await this.links.save(m, jobId, userId, { ...saved, licenses: link.licenses, licenseWarning: link.licenseWarning });
        return 'accepted' as const;
      }
      const about = { ...this.log.about(command, attempt), target: { id: outcome.targetId ?? undefined, userName: command.matching[0].value } };
      // What Roster set on this account; a new or different account holds none of it.
      const held: LicenseState = outcome.targetId === link.targetId ? link : { licenses: null, licenseWarning: null };
      const licensed: LicenseState & { note?: string } = outcome.targetId ? await this.licenses.assign(command, outcome.targetId, held, about) : held;
      const note = [outcome.note, licensed.note].filter(Boolean).join('; ') || undefined;
      await this.log.record(command, attempt, { target: about.target, step: 'executed', status: 'success', reason: note });
      await this.links.save(m, jobId, userId, { ...saved, licenses: licensed.licenses, licenseWarning: licensed.licenseWarning });
      await this.deadLetters.resolveSupersededBy(m, command);
      return null;
    });
    if (next === 'accepted') await this.settleMembership(command as MembershipCommand, attempt);
    else if (next) throw next;
  }

  private async settleMembership(command: MembershipCommand, attempt: number): Promise<void> {
    const settled = await this.groups.settle(command);
    if (settled.kind === 'wait') throw new Deferral(settled.reason, settled.delayMs, 'group-batch');
    if (settled.kind === 'failed') throw new PermanentError(settled.reason, settled.error);
    await this.log.record(command, attempt, {
      step: 'executed',
      status: 'success',
      reason: settled.note,
      target: { id: settled.accountId, userName: command.matching[0].value },
    });
    await this.deadLetters.resolveSupersededBy(this.db.manager, command);
  }


  private async apply(m: EntityManager, command: ProvisioningCommand, link: UserLink): Promise<Outcome> {
    const jobId = command.provisioningJobId;
    const existing = link.targetId ? { id: link.targetId } : await this.index.find(jobId, command.matching);
    switch (command.type) {
      case C.CreateUser:
      case C.EnableUser:
      case C.UpdateUser: {
        if (!existing) return this.create(m, command);
        const sent = attributesToSend(command, link.applied);
        try {
          await this.target.updateAccount(existing.id, command.attributes, sent);
        } catch (error) {
          // The account was deleted in GoTo behind our back (or after the index was read): create it again.
          if (!(error instanceof TargetError && error.kind === 'not-found')) throw error;
          await this.index.forget(m, jobId, existing.id);
          return this.create(m, command);
        }
        if (this.index.touchesMatching(sent)) await this.index.remember(m, jobId, existing.id, command.attributes);
        return {
          targetId: existing.id,
          applied: appliedOf(command),
          note: command.type === C.CreateUser ? 'matched an existing account; adopted and updated it' : undefined,
        };
      }
      case C.DisableUser:
        if (!existing) return { targetId: null, applied: link.applied, note: 'no account in GoTo; nothing to disable' };
        await this.ignoreNotFound(this.target.setActive(existing.id, false));
        return { targetId: existing.id, applied: link.applied && { ...link.applied, active: false } };
      case C.DeleteUser:
        if (!existing) return { targetId: null, applied: null, note: 'no account in GoTo; nothing to delete' };
        await this.ignoreNotFound(this.target.deleteAccount(existing.id));
        await this.index.forget(m, jobId, existing.id);
        await this.groups.forgetWanted(m, jobId, command.userId);
        return { targetId: null, applied: null };
      case C.AddGroupMember:
      case C.RemoveGroupMember:
        // The create for this user may still be queued behind this command (they share an order): retry.
        // Not a TargetError: GoTo did nothing wrong, so the circuit breaker must not count it.
        if (!existing) throw new Error(`no GoTo account for user ${command.userId} yet`);
        await this.groups.accept(m, command, existing.id);
        return { targetId: existing.id, applied: link.applied, accepted: true };
    }
  }

  private async create(m: EntityManager, command: AttributeCommand): Promise<Outcome> {
    const jobId = command.provisioningJobId;
    try {
      const account = await this.target.createAccount(command.attributes);
      await this.index.created(m, jobId, account);
      return { targetId: account.id, applied: appliedOf(command) };
    } catch (error) {
      // A conflict means the account exists after all: created by an earlier attempt whose answer
      // was lost, or in GoTo after the index was read. Ask GoTo itself, not the index.
      if (!(error instanceof TargetError && error.kind === 'conflict')) throw error;
      const found = await this.target.findAccount(command.matching);
      if (!found) throw error;
      await this.target.updateAccount(found.id, command.attributes, Object.keys(command.attributes));
      await this.index.remember(m, jobId, found.id, command.attributes);
      return { targetId: found.id, applied: appliedOf(command), note: 'account already existed; adopted and updated it' };
    }
  }

  private async ignoreNotFound(p: Promise<void>): Promise<void> {
    try {
      await p;
    } catch (error) {
      if (!(error instanceof TargetError && error.kind === 'not-found')) throw error;
    }
  }
}

const isMembership = (command: ProvisioningCommand): command is MembershipCommand =>
  command.type === C.AddGroupMember || command.type === C.RemoveGroupMember;

const appliedOf = (command: AttributeCommand) => appliedStateOf(command.attributes, command.redactedAttributes ?? []);

/**
 * Create and enable send the whole desired state. An update sends what it changed and anything else
 * that differs from what was last written: an older command overtaken by this one is dropped as
 * stale, and what it changed would otherwise never reach the account.
 */
function attributesToSend(command: AttributeCommand, applied: Attributes | null): string[] {
  if (command.type !== C.UpdateUser) return Object.keys(command.attributes);
  const drifted = applied ? driftedAttributes(command.attributes, applied, command.redactedAttributes ?? []) : [];
  return [...new Set([...command.changed, ...drifted])];
}
