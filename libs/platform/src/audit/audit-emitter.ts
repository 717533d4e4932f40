import { Inject, Injectable } from '@nestjs/common';
import type { Job } from 'bullmq';
import { createHash } from 'node:crypto';
import { QueueName, type AuditBatch, type AuditRecord, type ContractViolationError } from '@roster/contracts';
import { SERVICE_NAME } from '../config/config.module';
import { producerToken, type MessageProducer } from '../queue/message-producer';

const BATCH = 1000;

export type AuditEntry = Omit<AuditRecord, 'version' | 'id' | 'occurredAt' | 'service'> & { occurredAt?: string };

/**
 * Every service's way to write the provisioning log. Record ids are derived from what the record
 * is about, so a step repeated after a crash is logged once.
 */
@Injectable()
export class AuditEmitter {
  constructor(
    @Inject(producerToken(QueueName.AuditRecords))
    private readonly producer: MessageProducer<typeof QueueName.AuditRecords>,
    @Inject(SERVICE_NAME) private readonly service: AuditRecord['service'],
  ) {}

  record(entry: AuditEntry): Promise<void> {
    return this.recordMany([entry]);
  }

  /** The entries travel as one batch per 1,000 (one queue job), whatever their number. */
  recordMany(entries: AuditEntry[]): Promise<void> {
    const records = entries.map((e) => this.toRecord(e));
    const batches: AuditBatch[] = [];
    for (let i = 0; i < records.length; i += BATCH) {
      const chunk = records.slice(i, i + BATCH);
      const id = createHash('sha1').update(chunk.map((r) => r.id).join('\n')).digest('base64url');
      batches.push({ version: 1, id: `audit-${id}`, records: chunk });
    }
    return this.producer.sendMany(batches);
  }

  /** Logs a queue message that broke its contract; the raw payload is not trusted enough to log. */
  recordRejection(what: string, error: ContractViolationError, job: Job): Promise<void> {
    return this.record({
      provisioningJobId: 'unknown',
      correlationId: String(job.id),
      messageId: String(job.id),
      action: 'Other',
      step: 'rejected',
      status: 'failure',
      reason: `malformed ${what} rejected: ${error.message}`,
      details: { jobName: job.name },
    });
  }

  private toRecord(entry: AuditEntry): AuditRecord {
    const about = entry.messageId ?? entry.correlationId;
    return {
      ...entry,
      version: 1,
      id: [this.service, entry.step, entry.action, about, entry.attempt ?? 1].join('/'),
      occurredAt: entry.occurredAt ?? new Date().toISOString(),
      service: this.service,
    };
  }
}
