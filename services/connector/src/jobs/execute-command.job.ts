import { Inject, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { QueueName } from '@roster/contracts';
import { AuditEmitter, PermanentError, QueueWorkers, SERVICE_CONFIG } from '@roster/platform';
import type { ConnectorConfig } from '../config/connector.config';
import { ExecuteCommandUseCase } from '../provisioning/execute-command.use-case';
import { TargetError } from '../target/target-connector';

const reasonOf = (e: unknown) => (e instanceof Error ? e.message : String(e));

function errorOf(e: unknown) {
  if (e instanceof PermanentError) return e.details;
  if (e instanceof TargetError) return { kind: e.kind, status: e.status, body: e.body };
  return { kind: 'error' };
}

/** Consumes provisioning commands; retries transient failures with backoff and logs every outcome. */
@Injectable()
export class ExecuteCommandJob implements OnApplicationBootstrap {
  constructor(
    private readonly workers: QueueWorkers,
    private readonly useCase: ExecuteCommandUseCase,
    private readonly audit: AuditEmitter,
    @Inject(SERVICE_CONFIG) private readonly config: ConnectorConfig,
  ) {}

  onApplicationBootstrap(): void {
    this.workers.open(
      QueueName.ProvisioningCommands,
      {
        handle: (command, job) => this.useCase.execute(command, job.attemptsMade + 1),
        rejected: (_payload, error, job) => this.audit.recordRejection('provisioning command', error, job),
        retrying: (command, error, job) =>
          this.audit.record({
            ...this.useCase.about(command, job.attemptsMade + 1),
            step: 'retried',
            status: 'warning',
            reason: `${reasonOf(error)}; will retry`,
            error: errorOf(error),
          }),
        failed: (command, error, job) =>
          this.audit.record({
            ...this.useCase.about(command, job.attemptsMade + 1),
            step: 'failed',
            status: 'failure',
            reason: reasonOf(error),
            error: errorOf(error),
          }),
      },
      {
        concurrency: this.config.CONNECTOR_CONCURRENCY,
        retry: { baseDelayMs: this.config.RETRY_BASE_DELAY_MS, maxDelayMs: this.config.RETRY_MAX_DELAY_MS },
      },
    );
  }
}
