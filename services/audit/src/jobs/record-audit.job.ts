import { Inject, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { QueueName, auditRecordSchema, parseEach, type AuditRecord, type ContractViolationError } from '@roster/contracts';
import { MicroBatcher, QueueWorkers, SERVICE_CONFIG } from '@roster/platform';
import type { AuditConfig } from '../config/audit.config';
import { ProvisioningLogRepository } from '../provisioning-logs/provisioning-log.repository';

/**
 * Consumes the audit queue. Many jobs run at once and their records share one INSERT, so the log
 * keeps up with a 100,000-user initial sync; a job completes only once its row is committed.
 */
@Injectable()
export class RecordAuditJob implements OnApplicationBootstrap {
  private readonly batcher: MicroBatcher<AuditRecord>;

  constructor(
    private readonly workers: QueueWorkers,
    private readonly logs: ProvisioningLogRepository,
    @Inject(SERVICE_CONFIG) private readonly config: AuditConfig,
  ) {
    this.batcher = new MicroBatcher((records) => this.logs.insertMany(records), {
      maxItems: config.AUDIT_BATCH_SIZE,
      lingerMs: 10,
    });
  }

  onApplicationBootstrap(): void {
    this.workers.open(
      QueueName.AuditRecords,
      {
        handle: (batch) => {
          // Each record is checked on its own: a malformed one is logged as rejected, the rest stored.
          const { valid, rejected } = parseEach('audit record', auditRecordSchema, batch.records);
          return this.batcher.addMany([...valid, ...rejected.map(({ index, error }) => rejection(`${batch.id}#${index}`, error))]);
        },
      },
      { concurrency: this.config.AUDIT_CONCURRENCY, retry: { baseDelayMs: 500, maxDelayMs: 60_000 } },
    );
  }
}

/** The log's own record of a record it could not store; the malformed payload itself is not kept. */
function rejection(messageId: string, error: ContractViolationError): AuditRecord {
  return {
    version: 1,
    id: `audit/rejected/Other/${messageId}/1`,
    occurredAt: new Date().toISOString(),
    service: 'audit',
    provisioningJobId: 'unknown',
    correlationId: messageId,
    messageId,
    action: 'Other',
    step: 'rejected',
    status: 'failure',
    reason: `malformed audit record rejected: ${error.message}`.slice(0, 4000),
  };
}
