import { Injectable } from '@nestjs/common';
import { auditActionOfCommand, type Attributes, type ProvisioningCommand } from '@roster/contracts';
import { AuditEmitter, AuditOutbox, type AuditEntry } from '@roster/platform';
import { DataSource, type EntityManager } from 'typeorm';

/** Values computed through Redact() reach GoTo but never the provisioning log. */
function redact(attributes: Attributes, redacted: string[]): Attributes {
  return Object.fromEntries(Object.entries(attributes).map(([k, v]) => [k, redacted.includes(k) ? '[Redact]' : v]));
}

export type CommandEntry = Omit<AuditEntry, 'provisioningJobId' | 'correlationId' | 'messageId' | 'action' | 'source' | 'attempt' | 'after'> &
  Partial<Pick<AuditEntry, 'action' | 'target'>>;

/**
 * The provisioning log of one command: every record names the command, its user and its attempt.
 * Records go through the audit outbox: given the transaction that stores what they say (`db`), they
 * are committed with it, so `executed` exists exactly when the outcome it reports does, whatever
 * crashes or whichever Redis is lost afterwards.
 */
@Injectable()
export class CommandLog {
  constructor(
    private readonly db: DataSource,
    private readonly outbox: AuditOutbox,
    private readonly audit: AuditEmitter,
  ) {}

  /** A repair a reconciliation made says so first (`drift`), then what happened. */
  record(command: ProvisioningCommand, attempt: number, entry: CommandEntry, db: Pick<EntityManager, 'query'> = this.db): Promise<void> {
    return this.outbox.add(db, [this.entry(command, attempt, entry)]);
  }

  /** The record `record` would store, to be stored later (by whoever settles the command's write). */
  entry(command: ProvisioningCommand, attempt: number, entry: CommandEntry): AuditEntry {
    const reason = command.cause ? [command.cause, entry.reason].filter(Boolean).join(': ') : entry.reason;
    return { ...this.about(command, attempt), ...entry, reason };
  }

  about(command: ProvisioningCommand, attempt: number): Omit<AuditEntry, 'step' | 'status'> {
    return {
      provisioningJobId: command.provisioningJobId,
      correlationId: command.correlationId,
      messageId: command.idempotencyKey,
      action: auditActionOfCommand[command.type],
      source: { id: command.userId },
      target: { userName: command.matching[0].value },
      attempt,
      after: 'attributes' in command ? redact(command.attributes, command.redactedAttributes ?? []) : undefined,
    };
  }

  recordRejection(...args: Parameters<AuditEmitter['recordRejection']>): Promise<void> {
    return this.audit.recordRejection(...args);
  }
}
