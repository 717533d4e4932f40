import { Injectable } from '@nestjs/common';
import { auditActionOfCommand, type Attributes, type ProvisioningCommand } from '@roster/contracts';
import { AuditEmitter, type AuditEntry } from '@roster/platform';

/** Values computed through Redact() reach GoTo but never the provisioning log. */
function redact(attributes: Attributes, redacted: string[]): Attributes {
  return Object.fromEntries(Object.entries(attributes).map(([k, v]) => [k, redacted.includes(k) ? '[Redact]' : v]));
}

export type CommandEntry = Omit<AuditEntry, 'provisioningJobId' | 'correlationId' | 'messageId' | 'action' | 'source' | 'attempt' | 'after'> &
  Partial<Pick<AuditEntry, 'action' | 'target'>>;

/** The provisioning log of one command: every record names the command, its user and its attempt. */
@Injectable()
export class CommandLog {
  constructor(private readonly audit: AuditEmitter) {}

  /** A repair a reconciliation made says so first (`drift`), then what happened. */
  record(command: ProvisioningCommand, attempt: number, entry: CommandEntry): Promise<void> {
    const reason = command.cause ? [command.cause, entry.reason].filter(Boolean).join(': ') : entry.reason;
    return this.audit.record({ ...this.about(command, attempt), ...entry, reason });
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
