import { Inject, Injectable } from '@nestjs/common';
import {
  ProvisioningCommandType as C,
  auditActionOfCommand,
  compareChangeOrder,
  type ProvisioningCommand,
} from '@roster/contracts';
import { AuditEmitter, PermanentError, type AuditEntry } from '@roster/platform';
import { DataSource } from 'typeorm';
import { TARGET_CONNECTOR, TargetError, type TargetConnector } from '../target/target-connector';
import { UserLinkRepository } from './user-link.repository';

interface Outcome {
  targetId: string | null;
  /** What was actually done, when it differs from the command (adopted, converged, nothing to do). */
  note?: string;
}

/**
 * Executes one command against the target. The user's link row lock serialises commands for one
 * user across all connector replicas; commands older than the newest applied are dropped; every
 * write is preceded by a check of what the target holds, so a command retried after a crash or a
 * timeout with unknown outcome never creates a second account.
 */
@Injectable()
export class ExecuteCommandUseCase {
  constructor(
    private readonly db: DataSource,
    private readonly links: UserLinkRepository,
    private readonly audit: AuditEmitter,
    @Inject(TARGET_CONNECTOR) private readonly target: TargetConnector,
  ) {}

  async execute(command: ProvisioningCommand, attempt: number): Promise<void> {
    await this.db.transaction(async (m) => {
      const link = await this.links.lock(m, command.provisioningJobId, command.userId);
      if (compareChangeOrder(command.order, link.lastOrder) < 0) {
        await this.audit.record({
          ...this.about(command, attempt),
          step: 'skipped',
          status: 'skipped',
          reason: `stale command (order ${command.order} < ${link.lastOrder} already applied)`,
        });
        return;
      }
      let outcome: Outcome;
      try {
        outcome = await this.apply(command, link.targetId);
      } catch (error) {
        if (error instanceof TargetError && error.kind !== 'transient') {
          throw new PermanentError(error.message, { kind: error.kind, status: error.status, body: error.body });
        }
        throw error;
      }
      await this.audit.record({
        ...this.about(command, attempt),
        step: 'executed',
        status: 'success',
        reason: outcome.note,
        target: { id: outcome.targetId ?? undefined, userName: command.matching[0].value },
      });
      await this.links.save(m, command.provisioningJobId, command.userId, { targetId: outcome.targetId, lastOrder: command.order });
    });
  }

  about(command: ProvisioningCommand, attempt: number): Pick<
    AuditEntry,
    'provisioningJobId' | 'correlationId' | 'messageId' | 'action' | 'source' | 'target' | 'attempt' | 'after'
  > {
    return {
      provisioningJobId: command.provisioningJobId,
      correlationId: command.correlationId,
      messageId: command.idempotencyKey,
      action: auditActionOfCommand[command.type],
      source: { id: command.userId },
      target: { userName: command.matching[0].value },
      attempt,
      after: 'attributes' in command ? command.attributes : undefined,
    };
  }

  private async apply(command: ProvisioningCommand, knownId: string | null): Promise<Outcome> {
    const existing = knownId ? { id: knownId } : await this.target.findAccount(command.matching);
    switch (command.type) {
      case C.CreateUser:
      case C.EnableUser:
      case C.UpdateUser: {
        if (!existing) return this.create(command);
        const changed = command.type === C.UpdateUser ? command.changed : Object.keys(command.attributes);
        try {
          await this.target.updateAccount(existing.id, command.attributes, changed);
        } catch (error) {
          // The account we knew was deleted in GoTo behind our back: recreate it.
          if (knownId && error instanceof TargetError && error.kind === 'not-found') return this.create(command);
          throw error;
        }
        return { targetId: existing.id, note: command.type === C.CreateUser ? 'matched an existing account; adopted and updated it' : undefined };
      }
      case C.DisableUser:
        if (!existing) return { targetId: null, note: 'no account in GoTo; nothing to disable' };
        await this.ignoreNotFound(this.target.setActive(existing.id, false));
        return { targetId: existing.id };
      case C.DeleteUser:
        if (!existing) return { targetId: null, note: 'no account in GoTo; nothing to delete' };
        await this.ignoreNotFound(this.target.deleteAccount(existing.id));
        return { targetId: null };
      case C.AddGroupMember:
      case C.RemoveGroupMember:
        // The create for this user may still be queued behind this command (they share an order): retry.
        if (!existing) throw new TargetError(`no GoTo account for user ${command.userId} yet`, 'transient');
        await this.target.setGroupMembership(command.group, existing.id, command.type === C.AddGroupMember);
        return { targetId: existing.id };
    }
  }

  private async create(command: Extract<ProvisioningCommand, { attributes: unknown }>): Promise<Outcome> {
    try {
      const account = await this.target.createAccount(command.attributes);
      return { targetId: account.id };
    } catch (error) {
      // A conflict means the account exists after all (created by an earlier attempt whose response was lost).
      if (!(error instanceof TargetError && error.kind === 'conflict')) throw error;
      const found = await this.target.findAccount(command.matching);
      if (!found) throw error;
      await this.target.updateAccount(found.id, command.attributes, Object.keys(command.attributes));
      return { targetId: found.id, note: 'account already existed; adopted and updated it' };
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
