import { ConflictException, Inject, Injectable, NotFoundException } from '@nestjs/common';
import { QueueName, auditActionOfCommand, type ProvisioningCommand } from '@roster/contracts';
import { AuditEmitter, producerToken, type MessageProducer } from '@roster/platform';
import { DataSource } from 'typeorm';
import { DeadLetterRepository, type DeadLetter } from './dead-letter.repository';
import type { DeadLetterFilter } from './dead-letter.query';

const BATCH = 500;
const KEY_MAX = 256;
const REDRIVE_SUFFIX = /:redrive-\d+$/;

export interface RedriveResult {
  redriven: number;
  items: { id: string; redrivenAs: string }[];
}

/**
 * A re-driven command is the dead command under a new idempotency key (so BullMQ takes it as a new
 * job with fresh attempts) and goes through the same idempotent path as any command: the user's
 * lock, the stale-order check, check-before-write. The key is derived from the dead letter's id,
 * so re-driving the same entry twice (a crash before it was marked) enqueues it once.
 */
export function redriveKeyOf(idempotencyKey: string, deadLetterId: string): string {
  const suffix = `:redrive-${deadLetterId}`;
  return idempotencyKey.replace(REDRIVE_SUFFIX, '').slice(0, KEY_MAX - suffix.length) + suffix;
}

@Injectable()
export class RedriveService {
  constructor(
    private readonly db: DataSource,
    private readonly deadLetters: DeadLetterRepository,
    private readonly audit: AuditEmitter,
    @Inject(producerToken(QueueName.ProvisioningCommands))
    private readonly commands: MessageProducer<typeof QueueName.ProvisioningCommands>,
  ) {}

  async redriveOne(id: string): Promise<RedriveResult> {
    const result = await this.redrive({ id }, id);
    if (result.redriven === 0) {
      const entry = await this.deadLetters.get(id);
      if (!entry) throw new NotFoundException(`no dead letter ${id}`);
      throw new ConflictException(`dead letter ${id} was already re-driven as ${entry.redrivenAs}`);
    }
    return result;
  }

  /** Every dead letter matching the filter at the time of the call; later failures are left for the next call. */
  async redriveMatching(filter: DeadLetterFilter): Promise<RedriveResult> {
    return this.redrive(filter, await this.deadLetters.newestId());
  }

  private async redrive(filter: DeadLetterFilter & { id?: string }, upToId: string): Promise<RedriveResult> {
    const result: RedriveResult = { redriven: 0, items: [] };
    for (;;) {
      const batch = await this.db.transaction(async (m) => {
        const entries = await this.deadLetters.takeForRedrive(m, filter, upToId, BATCH);
        if (entries.length === 0) return [];
        const items = entries.map((e) => ({ id: e.id, redrivenAs: redriveKeyOf(e.idempotencyKey, e.id) }));
        // Enqueued before the entries are marked: a crash in between leaves them dead, and doing it
        // again enqueues the same job ids, which BullMQ stores once.
        await this.commands.sendMany(entries.map((e, i) => ({ ...e.command, idempotencyKey: items[i]!.redrivenAs })));
        await this.deadLetters.markRedriven(m, items);
        await this.audit.recordMany(entries.map((e, i) => this.receivedRecord(e, items[i]!.redrivenAs)));
        return items;
      });
      if (batch.length === 0) return result;
      result.redriven += batch.length;
      result.items.push(...batch);
    }
  }

  private receivedRecord(entry: DeadLetter, key: string) {
    const command: ProvisioningCommand = entry.command;
    return {
      provisioningJobId: command.provisioningJobId,
      correlationId: command.correlationId,
      messageId: key,
      action: auditActionOfCommand[command.type],
      step: 'received' as const,
      status: 'success' as const,
      reason: `re-driven from dead letter ${entry.id} (${entry.idempotencyKey}), which failed after ${entry.attempts} attempt(s): ${entry.reason}`.slice(0, 4000),
      source: { id: command.userId },
      target: { userName: command.matching[0].value },
    };
  }
}
