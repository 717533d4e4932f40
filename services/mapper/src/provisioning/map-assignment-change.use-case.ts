import { Inject, Injectable } from '@nestjs/common';
import {
  QueueName,
  auditActionOfCommand,
  compareChangeOrder,
  subjectIdOf,
  type AssignmentChangeEvent,
  type ProvisioningCommand,
} from '@roster/contracts';
import { DEFAULT_GOTOMEETING_MAPPINGS, MappingError, decide, type CommandDraft, type Decision } from '@roster/mapping';
import { AuditEmitter, PermanentError, SERVICE_CONFIG, producerToken, type AuditEntry, type MessageProducer } from '@roster/platform';
import { DataSource } from 'typeorm';
import type { MapperConfig } from '../config/mapper.config';
import { MapperUserStateRepository } from './mapper-user-state.repository';

/**
 * Turns one assignment change into the commands that bring GoToMeeting in line. Holding the user's
 * row lock while deciding and sending keeps one user's changes in order without any global lock;
 * commands are sent before the state commits, and their ids derive from the event, so a crash in
 * between resends the same commands, which the queue stores once.
 */
@Injectable()
export class MapAssignmentChangeUseCase {
  constructor(
    private readonly db: DataSource,
    private readonly states: MapperUserStateRepository,
    private readonly audit: AuditEmitter,
    @Inject(producerToken(QueueName.ProvisioningCommands))
    private readonly commands: MessageProducer<typeof QueueName.ProvisioningCommands>,
    @Inject(SERVICE_CONFIG) private readonly config: MapperConfig,
  ) {}

  async execute(event: AssignmentChangeEvent): Promise<void> {
    const userId = subjectIdOf(event);
    const jobId = event.provisioningJobId;
    await this.db.transaction(async (m) => {
      const state = await this.states.lock(m, jobId, userId);
      const about = this.about(event);
      if (compareChangeOrder(event.source.order, state.lastOrder) <= 0) {
        await this.audit.record({
          ...about,
          action: 'Other',
          step: 'skipped',
          status: 'skipped',
          reason: `stale or repeated change (order ${event.source.order} ≤ ${state.lastOrder} already applied)`,
        });
        return;
      }
      let decision: Decision;
      try {
        decision = decide(event, state, DEFAULT_GOTOMEETING_MAPPINGS, { deleteOnHardDelete: this.config.DELETE_ON_HARD_DELETE });
      } catch (error) {
        if (error instanceof MappingError) throw new PermanentError(`mapping failed: ${error.message}`, { kind: 'mapping' });
        throw error;
      }
      const commands = decision.commands.map((draft) => this.toCommand(event, userId, decision, draft));
      await this.commands.sendMany(commands);
      await this.audit.recordMany(
        commands.length === 0
          ? [{ ...about, action: 'Other', step: 'skipped', status: 'skipped', reason: decision.skipped }]
          : commands.map((c) => ({
              ...about,
              action: auditActionOfCommand[c.type],
              step: 'computed' as const,
              status: 'success' as const,
              target: { userName: decision.matching[0]?.value },
              before: state.target,
              after: decision.next.target,
              details: { command: c.type, commandId: c.idempotencyKey, ...('changed' in c ? { changed: c.changed } : {}) },
            })),
      );
      await this.states.save(m, jobId, userId, event.source.order, decision.next);
    });
  }

  /** The log fields every record about this event shares. */
  about(event: AssignmentChangeEvent): Pick<AuditEntry, 'provisioningJobId' | 'correlationId' | 'messageId' | 'source'> {
    const upn = 'user' in event ? event.user.attributes.userPrincipalName : undefined;
    return {
      provisioningJobId: event.provisioningJobId,
      correlationId: event.correlationId,
      messageId: event.idempotencyKey,
      source: { id: subjectIdOf(event), displayName: typeof upn === 'string' ? upn : undefined },
    };
  }

  private toCommand(event: AssignmentChangeEvent, userId: string, decision: Decision, draft: CommandDraft): ProvisioningCommand {
    return {
      ...draft,
      version: 1,
      idempotencyKey: `${event.idempotencyKey}/${draft.type}`,
      correlationId: event.correlationId,
      provisioningJobId: event.provisioningJobId,
      occurredAt: new Date().toISOString(),
      userId,
      order: event.source.order,
      matching: decision.matching,
    } as ProvisioningCommand;
  }
}
