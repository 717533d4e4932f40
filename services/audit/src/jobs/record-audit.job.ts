import { Inject, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { QueueName, auditRecordSchema, parseEach, type AuditRecord } from '@roster/contracts';
import { MicroBatcher, QueueWorkers, SERVICE_CONFIG, rejectionEntry, toAuditRecord } from '@roster/platform';
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
          const now = new Date().toISOString();
          const rejections = rejected.map(({ index, error }) =>
            toAuditRecord('audit', rejectionEntry('audit record', error, `${batch.id}#${index}`), now),
          );
          return this.batcher.addMany([...valid, ...rejections]);
        },
      },
      { concurrency: this.config.AUDIT_CONCURRENCY, retry: { baseDelayMs: 500, maxDelayMs: 60_000 } },
    );
  }
}
