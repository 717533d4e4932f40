import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import {
  AssignmentChangeType as T,
  ProvisioningFeedbackType as F,
  QueueName,
  type AssignmentChangeEvent,
  type ProvisioningFeedback,
} from '@roster/contracts';
import { AuditEmitter, QueueWorkers, SERVICE_CONFIG, assignmentChangeBatches, producerToken, type MessageProducer } from '@roster/platform';
import { DataSource } from 'typeorm';
import type { MapperConfig } from '../config/mapper.config';
import { JobConfigService } from '../mapping-config/job-config.service';
import { MapperUserStateRepository } from '../provisioning/mapper-user-state.repository';

/** Feedback messages handled at once: each is one row update or one queued event, never a GoTo call. */
const CONCURRENCY = 16;

/**
 * Consumes the connector's feedback. A dead-lettered command marks its user, so the user's next
 * decision (a directory change, or the re-evaluation after a mapping is fixed) sends the whole
 * desired state. A re-drive of dead letters becomes a full re-evaluation of the user on the
 * mapper's own queue, decided like any event: from the user's current state and the mapping in force;
 * so does a dead letter that arrives after a mapping change its user's re-evaluation already passed.
 */
@Injectable()
export class ApplyProvisioningFeedbackJob implements OnApplicationBootstrap {
  private readonly logger = new Logger(ApplyProvisioningFeedbackJob.name);

  constructor(
    private readonly db: DataSource,
    private readonly workers: QueueWorkers,
    private readonly states: MapperUserStateRepository,
    private readonly configs: JobConfigService,
    private readonly audit: AuditEmitter,
    @Inject(producerToken(QueueName.AssignmentChanges))
    private readonly events: MessageProducer<typeof QueueName.AssignmentChanges>,
    @Inject(SERVICE_CONFIG) private readonly config: MapperConfig,
  ) {}

  onApplicationBootstrap(): void {
    this.workers.open(
      QueueName.ProvisioningFeedback,
      {
        handle: (feedback) => this.handle(feedback),
        rejected: (_payload, error, job) => this.audit.recordRejection('provisioning feedback', error, job),
      },
      { concurrency: CONCURRENCY, retry: { baseDelayMs: this.config.RETRY_BASE_DELAY_MS, maxDelayMs: this.config.RETRY_MAX_DELAY_MS } },
    );
  }

  private async handle(feedback: ProvisioningFeedback): Promise<void> {
    const { provisioningJobId: jobId, userId } = feedback;
    if (feedback.type === F.CommandDeadLettered) {
      await this.states.markFailed(this.db, jobId, userId, feedback.command.type);
      this.logger.log({ jobId, userId, command: feedback.command.idempotencyKey }, 'command dead-lettered: the user next gets its whole state');
      // A mapping saved after the command was decided may have re-evaluated the user before this
      // news came, and found nothing to send: the user is re-decided now, so the change reaches it.
      const savedSince = await this.configs.versionSavedAfter(jobId, feedback.command.decidedAt);
      if (savedSince !== null) await this.reevaluate(feedback, savedSince);
      return;
    }
    await this.reevaluate(feedback, (await this.configs.current(jobId)).compiled.version);
  }

  private reevaluate(feedback: ProvisioningFeedback, configVersion: number): Promise<void> {
    return this.events.sendMany(assignmentChangeBatches([fullReevaluation(feedback, configVersion)]));
  }
}

function fullReevaluation(feedback: ProvisioningFeedback, configVersion: number): AssignmentChangeEvent {
  return {
    version: 1,
    type: T.UserReevaluate,
    idempotencyKey: `${feedback.idempotencyKey}/reevaluate`,
    correlationId: feedback.correlationId,
    provisioningJobId: feedback.provisioningJobId,
    occurredAt: new Date().toISOString(),
    source: { kind: 'redrive', order: '0' },
    userId: feedback.userId,
    configVersion,
    full: true,
  };
}
