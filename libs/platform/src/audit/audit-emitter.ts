import { Inject, Injectable } from '@nestjs/common';
import type { Job } from 'bullmq';
import { QueueName, type AuditBatch, type AuditRecord, type ContractViolationError } from '@roster/contracts';
import { batchIdOf, slicesOf } from '../batching/message-batches';
import { MicroBatcher } from '../batching/micro-batcher';
import { SERVICE_NAME } from '../config/config.module';
import { producerToken, type MessageProducer } from '../queue/message-producer';

const BATCH = 1000;

export type AuditEntry = Omit<AuditRecord, 'version' | 'id' | 'occurredAt' | 'service'> & {
  occurredAt?: string;
  /**
   * One record per step of the message whatever the attempt: a write attempted again, or settled by
   * a later attempt after its answer was lost, is still logged once. A string names the one thing
   * the record is about (a write), for a step that may happen more than once per message: a command
   * run again after its outcome was committed writes again under the same attempt number.
   */
  once?: boolean | string;
};

/**
 * Every service's way to write the provisioning log. Record ids are derived from what the record
 * is about, so a step repeated after a crash is logged once. Records written close together (a
 * connector executing many commands, each with its own record) share one queue job.
 */
@Injectable()
export class AuditEmitter {
  private readonly batcher: MicroBatcher<AuditRecord>;

  constructor(
    @Inject(producerToken(QueueName.AuditRecords))
    private readonly producer: MessageProducer<typeof QueueName.AuditRecords>,
    @Inject(SERVICE_NAME) private readonly service: AuditRecord['service'],
  ) {
    this.batcher = new MicroBatcher((records) => this.send(records), { maxItems: BATCH, lingerMs: 5 });
  }

  record(entry: AuditEntry): Promise<void> {
    return this.recordMany([entry]);
  }

  /** Resolves once the entries are on the queue, in batches of up to 1,000 (one queue job each). */
  recordMany(entries: AuditEntry[]): Promise<void> {
    const now = new Date().toISOString();
    return this.batcher.addMany(entries.map((e) => toAuditRecord(this.service, e, now)));
  }

  /**
   * Logs a queue message, or item `index` of a batch, that broke its contract; the raw payload is
   * not trusted enough to log.
   */
  recordRejection(what: string, error: ContractViolationError, job: Job, index?: number): Promise<void> {
    const messageId = index === undefined ? String(job.id) : `${job.id}#${index}`;
    return this.record({ ...rejectionEntry(what, error, messageId), details: { jobName: job.name } });
  }

  private send(records: AuditRecord[]): Promise<void> {
    return this.producer.sendMany(auditBatchesOf(records));
  }
}

/** Queue messages of up to 1,000 records each, named by the records they hold. */
export function auditBatchesOf(records: AuditRecord[]): AuditBatch[] {
  return slicesOf(records, BATCH).map((slice): AuditBatch => ({ version: 1, id: batchIdOf('audit', slice.map((r) => r.id)), records: slice }));
}

/** The record as the queue carries it; its id says what it is about, so a repeated step is logged once. */
export function toAuditRecord(service: AuditRecord['service'], { once, ...entry }: AuditEntry, now: string): AuditRecord {
  const about = entry.messageId ?? entry.correlationId;
  return {
    ...entry,
    version: 1,
    id: `${service}/${entry.step}/${entry.action}/${about}/${once === true ? 'once' : once ? `once-${once}` : (entry.attempt ?? 1)}`,
    occurredAt: entry.occurredAt ?? now,
    service,
  };
}

/**
 * What the log says of a message, or batch item, that broke its contract, or that the database
 * refused to store (`verdict` 'unstorable'); never its payload.
 */
export function rejectionEntry(what: string, error: Pick<Error, 'message'>, messageId: string, verdict: 'malformed' | 'unstorable' = 'malformed'): AuditEntry {
  return {
    provisioningJobId: 'unknown',
    correlationId: messageId,
    messageId,
    action: 'Other',
    step: 'rejected',
    status: 'failure',
    reason: `${verdict} ${what} rejected: ${error.message}`.slice(0, 4000),
  };
}
