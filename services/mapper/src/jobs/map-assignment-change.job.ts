import { Inject, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { QueueName } from '@roster/contracts';
import { AuditEmitter, QueueWorkers, SERVICE_CONFIG, errorMessage } from '@roster/platform';
import type { MapperConfig } from '../config/mapper.config';
import { MapAssignmentChangeUseCase } from '../provisioning/map-assignment-change.use-case';

/** Consumes assignment-change events: parse at the boundary, run the use case, log every outcome. */
@Injectable()
export class MapAssignmentChangeJob implements OnApplicationBootstrap {
  constructor(
    private readonly workers: QueueWorkers,
    private readonly useCase: MapAssignmentChangeUseCase,
    private readonly audit: AuditEmitter,
    @Inject(SERVICE_CONFIG) private readonly config: MapperConfig,
  ) {}

  onApplicationBootstrap(): void {
    this.workers.open(
      QueueName.AssignmentChanges,
      {
        handle: (event) => this.useCase.execute(event),
        rejected: (_payload, error, job) => this.audit.recordRejection('assignment-change event', error, job),
        retrying: (event, error, job) =>
          this.audit.record({
            ...this.useCase.about(event),
            action: 'Other',
            step: 'retried',
            status: 'warning',
            attempt: job.attemptsMade + 1,
            reason: errorMessage(error),
          }),
        failed: async (event, error, job) => {
          await this.useCase.failed(event);
          await this.audit.record({
            ...this.useCase.about(event),
            action: 'Other',
            step: 'failed',
            status: 'failure',
            attempt: job.attemptsMade + 1,
            reason: errorMessage(error),
          });
        },
      },
      {
        concurrency: this.config.MAPPER_CONCURRENCY,
        retry: { baseDelayMs: this.config.RETRY_BASE_DELAY_MS, maxDelayMs: this.config.RETRY_MAX_DELAY_MS },
      },
    );
  }
}
