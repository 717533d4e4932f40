import { Injectable } from '@nestjs/common';
import { auditActionOfCommand, type Attributes, type ProvisioningCommand } from '@roster/contracts';
import { AuditEmitter, AuditOutbox, type AuditEntry, type Statement } from '@roster/platform';
import { DataSource, type EntityManager } from 'typeorm';

/**
 * What the log keeps of the attributes a command sends: an update's changed ones only (the mapper's
 * record has the others), values computed through Redact() as "[Redact]" (they reach GoTo, never the log).
 */
function loggedAttributes(command: ProvisioningCommand): Attributes | undefined {
  if (!('attributes' in command)) return undefined;
  const redacted = command.redactedAttributes ?? [];
  const sent = command.type === 'user.update' ? Object.entries(command.attributes).filter(([k]) => command.changed.includes(k)) : Object.entries(command.attributes);
  return Object.fromEntries(sent.map(([k, v]) => [k, redacted.includes(k) ? '[Redact]' : v]));
}

export type CommandEntry = Omit<AuditEntry, 'provisioningJobId' | 'correlationId' | 'cycleId' | 'messageId' | 'action' | 'source' | 'attempt' | 'after'> &
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

  /** The same record of each of `commands`, in one statement. */
  recordEach(commands: readonly ProvisioningCommand[], attempt: number, entry: CommandEntry): Promise<void> {
    return this.outbox.add(this.db, commands.map((command) => this.entry(command, attempt, entry)));
  }

  /** What `record` runs, to be run along with the statements that store what the record says (see `together`). */
  insertOf(command: ProvisioningCommand, attempt: number, entry: CommandEntry): Statement {
    return this.outbox.insertOf([this.entry(command, attempt, entry)]);
  }

  /** What stores records made with `entry`, to be run along with the statements that store what they say (see `together`). */
  storing(entries: AuditEntry[]): Statement {
    return this.outbox.insertOf(entries);
  }

  /** Records made earlier with `entry`, stored in `db`'s transaction. */
  store(db: Pick<EntityManager, 'query'>, entries: AuditEntry[]): Promise<void> {
    return this.outbox.add(db, entries);
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
      cycleId: command.cycleId,
      messageId: command.idempotencyKey,
      action: auditActionOfCommand[command.type],
      source: { id: command.userId },
      target: { userName: command.matching[0].value },
      attempt,
      after: loggedAttributes(command),
    };
  }

  recordRejection(...args: Parameters<AuditEmitter['recordRejection']>): Promise<void> {
    return this.audit.recordRejection(...args);
  }
}
