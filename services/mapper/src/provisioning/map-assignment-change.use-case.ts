import { Inject, Injectable } from '@nestjs/common';
import {
  AssignmentChangeType as T,
  QueueName,
  auditActionOfCommand,
  compareChangeOrder,
  subjectIdOf,
  type AssignmentChangeEvent,
  type Attributes,
  type ProvisioningCommand,
} from '@roster/contracts';
import { MappingError, REDACTED, decide, isNewDeprovisioning, type CommandDraft, type Decision } from '@roster/mapping';
import { AuditOutbox, groupedBy, producerToken, provisioningCommandBatches, type AuditEntry, type MessageProducer } from '@roster/platform';
import { DataSource } from 'typeorm';
import { DeletionGuardService, cycleKeyOf } from '../deletion-guard/deletion-guard.service';
import { JobConfigService } from '../mapping-config/job-config.service';
import { MapperUserStateRepository, type LockedUserState, type SavedUserState } from './mapper-user-state.repository';

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
    private readonly configs: JobConfigService,
    private readonly guard: DeletionGuardService,
    private readonly outbox: AuditOutbox,
    @Inject(producerToken(QueueName.ProvisioningCommands))
    private readonly commands: MessageProducer<typeof QueueName.ProvisioningCommands>,
  ) {}

  /**
   * Decides a group of events in one transaction: the mapping version is read once, the users' rows
   * are locked in one ordered query, and their commands, log records and states go out together. A
   * mapping error fails only its own event (logged as failed, attempt `attempt`); any other error
   * aborts the whole group, which the caller then retries event by event.
   */
  async execute(events: AssignmentChangeEvent[], attempt: number): Promise<void> {
    const cycleEvents = events.filter((e) => e.type === T.CycleCompleted);
    for (const event of cycleEvents) {
      const { compiled } = await this.configs.current(event.provisioningJobId);
      await this.guard.expect(event.provisioningJobId, cycleKeyOf(event)!, event.eventCount, compiled.config.deletionThreshold);
    }
    const changes = events.filter((e) => e.type !== T.CycleCompleted);
    for (const [jobId, jobEvents] of groupedBy(changes, (e) => e.provisioningJobId)) await this.decideAll(jobId, jobEvents, attempt);
  }

  private async decideAll(jobId: string, events: AssignmentChangeEvent[], attempt: number): Promise<void> {
    let threshold: number | null = null;
    await this.configs.ensure(jobId);
    await this.db.transaction(async (m) => {
      const compiled = await this.configs.forEvent(m, jobId);
      threshold = compiled.config.deletionThreshold;
      const states = await this.states.lockMany(m, jobId, events.map(subjectIdOf));
      const toSend: ProvisioningCommand[] = [];
      const records: AuditEntry[] = [];
      const saved = new Map<string, SavedUserState>();
      for (const event of events) {
        const userId = subjectIdOf(event);
        const state = states.get(userId)!;
        if (threshold !== null) await this.guard.processed(m, jobId, event);
        const stale = this.staleness(event, state, compiled.version);
        if (stale) {
          records.push({ ...this.about(event), action: 'Other', step: 'skipped', status: 'skipped', reason: stale });
          continue;
        }
        let decision: Decision;
        try {
          decision = decide(event, state, compiled);
        } catch (error) {
          if (!(error instanceof MappingError)) throw error;
          records.push({ ...this.about(event), action: 'Other', step: 'failed', status: 'failure', attempt, reason: error.message });
          continue;
        }
        // The group removals that follow a held disable wait with it: rejected, the account keeps its groups.
        let holding = false;
        for (const draft of decision.commands) {
          const command = this.toCommand(event, decision, draft, this.orderOf(event, state));
          const record = this.record(event, state, decision, command, compiled.version);
          const held: boolean = threshold !== null && (holding || isNewDeprovisioning(command, state)) && (await this.guard.hold(m, event, command, record));
          holding ||= held;
          if (held) continue;
          toSend.push(command);
          records.push(record);
        }
        if (decision.commands.length === 0) {
          records.push({
            ...this.about(event),
            action: 'Other',
            step: 'skipped',
            status: 'skipped',
            reason: decision.skipped,
            details: { steps: decision.steps, configVersion: compiled.version },
          });
        }
        const order = this.orderOf(event, state);
        saved.set(userId, { userId, order, state: decision.next });
        // A later event of the same user in this group builds on this decision.
        states.set(userId, { ...decision.next, lastOrder: compareChangeOrder(order, state.lastOrder) > 0 ? order : state.lastOrder });
      }
      await this.commands.sendMany(provisioningCommandBatches(toSend));
      // Committed with the decisions, relayed after: a Redis that loses them loses no record (see AuditOutbox).
      await this.outbox.add(m, records);
      await this.states.saveMany(m, jobId, [...saved.values()]);
    });
    if (threshold === null) return;
    const cycles = new Set(events.map(cycleKeyOf).filter((c): c is string => c !== null && c !== undefined));
    for (const cycle of cycles) await this.guard.decide(jobId, cycle, threshold);
  }

  /** A failed event still counts as processed, so its cycle's held deletions can be decided. */
  async failed(event: AssignmentChangeEvent): Promise<void> {
    const { compiled } = await this.configs.current(event.provisioningJobId);
    const cycle = cycleKeyOf(event);
    if (compiled.config.deletionThreshold === null || !cycle) return;
    await this.guard.processed(this.db, event.provisioningJobId, event);
    await this.guard.decide(event.provisioningJobId, cycle, compiled.config.deletionThreshold);
  }

  /** The log fields every record about this event shares. */
  about(event: AssignmentChangeEvent): Pick<AuditEntry, 'provisioningJobId' | 'correlationId' | 'cycleId' | 'messageId' | 'source'> {
    const upn = 'user' in event ? event.user.attributes.userPrincipalName : undefined;
    return {
      provisioningJobId: event.provisioningJobId,
      correlationId: event.correlationId,
      cycleId: event.source.cycle,
      messageId: event.idempotencyKey,
      source: { id: subjectIdOf(event), displayName: typeof upn === 'string' ? upn : undefined },
    };
  }

  private staleness(event: AssignmentChangeEvent, state: LockedUserState, version: number): string | null {
    if (event.type === T.UserReevaluate) {
      // A re-drive is decided under whichever mapping is in force when it is handled.
      return event.configVersion < version && !event.full ? `re-evaluation for mapping v${event.configVersion} superseded by v${version}` : null;
    }
    return compareChangeOrder(event.source.order, state.lastOrder) <= 0
      ? `stale or repeated change (order ${event.source.order} ≤ ${state.lastOrder} already applied)`
      : null;
  }

  private record(
    event: AssignmentChangeEvent,
    state: LockedUserState,
    decision: Decision,
    command: ProvisioningCommand,
    configVersion: number,
  ): AuditEntry {
    const hide = (a: Attributes) => Object.fromEntries(Object.entries(a).map(([k, v]) => [k, decision.redacted.includes(k) ? REDACTED : v]));
    return {
      ...this.about(event),
      action: auditActionOfCommand[command.type],
      step: 'computed',
      status: 'success',
      target: { userName: decision.matching[0]?.value },
      before: hide(state.target),
      after: hide(decision.next.target),
      details: {
        command: command.type,
        commandId: command.idempotencyKey,
        steps: decision.steps,
        configVersion,
        ...('changed' in command ? { changed: command.changed } : {}),
        ...('licenseKeys' in command && command.licenseKeys ? { licenseKeys: command.licenseKeys } : {}),
      },
    };
  }

  /** A re-evaluation is not a directory change: its commands share the order of the last one applied. */
  private orderOf(event: AssignmentChangeEvent, state: LockedUserState): string {
    return event.type === T.UserReevaluate ? state.lastOrder : event.source.order;
  }

  private toCommand(event: AssignmentChangeEvent, decision: Decision, draft: CommandDraft, order: string): ProvisioningCommand {
    return {
      ...draft,
      // Version 2 only when licenses travel, so a job without license mapping works with any connector.
      version: 'licenseKeys' in draft && draft.licenseKeys ? 2 : 1,
      idempotencyKey: `${event.idempotencyKey}/${draft.type}${'group' in draft ? `/${draft.group.externalId}` : ''}`,
      correlationId: event.correlationId,
      ...(event.source.cycle ? { cycleId: event.source.cycle } : {}),
      provisioningJobId: event.provisioningJobId,
      occurredAt: new Date().toISOString(),
      userId: subjectIdOf(event),
      order,
      matching: decision.matching,
      ...(decision.redacted.length ? { redactedAttributes: decision.redacted } : {}),
    } as ProvisioningCommand;
  }
}
