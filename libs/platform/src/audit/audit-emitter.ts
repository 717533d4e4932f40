import { Inject, Injectable } from '@nestjs/common';
import type { Job } from 'bullmq';
import { QueueName, type AuditBatch, type AuditRecord, type ContractViolationError } from '@roster/contracts';
import { batchIdOf, slicesOf } from '../batching/message-batches';
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
    const now = new Date().toISOString();
    const batches = slicesOf(
      entries.map((e) => this.toRecord(e, now)),
      BATCH,
    ).map((records): AuditBatch => ({ version: 1, id: batchIdOf('audit', records.map((r) => r.id)), records }));
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

  private toRecord(entry: AuditEntry, now: string): AuditRecord {
    const about = entry.messageId ?? entry.correlationId;
    return {
      ...entry,
      version: 1,
      id: `${this.service}/${entry.step}/${entry.action}/${about}/${entry.attempt ?? 1}`,
      occurredAt: entry.occurredAt ?? now,
      service: this.service,
    };
  }
}
