import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { QueueName, auditRecordSchema, parseEach, type AuditRecord } from '@roster/contracts';
import {
  MicroBatcher,
  QueueWorkers,
  SERVICE_CONFIG,
  errorMessage,
  isDataError,
  rejectionEntry,
  storeNarrowing,
  toAuditRecord,
} from '@roster/platform';
import type { AuditConfig } from '../config/audit.config';
import { ProvisioningLogRepository } from '../provisioning-logs/provisioning-log.repository';

/** A record and where it came from (`batchId#index`), so a refusal can name its position. */
interface Arrival {
  record: AuditRecord;
  origin: string;
}

/**
 * Consumes the audit queue. Many jobs run at once and their records share one INSERT, so the log
 * keeps up with a 100,000-user initial sync; a job completes only once its row is committed. A
 * record PostgreSQL refuses (a data error) is narrowed down to and replaced by a rejection that
 * names its position, so it never keeps its batch-mates, or other jobs' records, out of the log.
 * Once a job's records are all stored, the outbox copy of its message goes.
 */
@Injectable()
export class RecordAuditJob implements OnApplicationBootstrap {
  private readonly logger = new Logger(RecordAuditJob.name);
  private readonly batcher: MicroBatcher<Arrival>;

  constructor(
    private readonly workers: QueueWorkers,
    private readonly logs: ProvisioningLogRepository,
    @Inject(SERVICE_CONFIG) private readonly config: AuditConfig,
  ) {
    this.batcher = new MicroBatcher((arrivals) => this.store(arrivals), {
      maxItems: config.AUDIT_BATCH_SIZE,
      lingerMs: 10,
    });
  }

  onApplicationBootstrap(): void {
    this.workers.open(
      QueueName.AuditRecords,
      {
        handle: async (batch) => {
          // Each record is checked on its own: a malformed one is logged as rejected, the rest stored.
          const { valid, rejected } = parseEach('audit record', auditRecordSchema, batch.records);
          const refused = new Map(rejected.map(({ index, error }) => [index, error]));
          const now = new Date().toISOString();
          let nextValid = 0; // `valid` keeps the batch's order, skipping the rejected
          const arrivals = batch.records.map((_, index): Arrival => {
            const origin = `${batch.id}#${index}`;
            const error = refused.get(index);
            const record = error === undefined ? valid[nextValid++]! : toAuditRecord('audit', rejectionEntry('audit record', error, origin), now);
            return { record, origin };
          });
          await this.batcher.addMany(arrivals);
          await this.logs.forgetRelayed(batch.id);
        },
      },
      { concurrency: this.config.AUDIT_CONCURRENCY, retry: { baseDelayMs: 500, maxDelayMs: 60_000 } },
    );
  }

  private async store(arrivals: Arrival[]): Promise<void> {
    const insert = (part: Arrival[]) => this.logs.insertMany(part.map((a) => a.record));
    const refused = await storeNarrowing(arrivals, insert, isDataError);
    if (refused.length === 0) return;
    const now = new Date().toISOString();
    const rejections = refused.map(({ item: { record, origin }, error }): Arrival => {
      this.logger.warn({ origin, recordId: record.id, reason: errorMessage(error) }, 'audit record refused by PostgreSQL; the rest of its batch is stored');
      return { record: toAuditRecord('audit', rejectionEntry('audit record', error as Error, origin, 'unstorable'), now), origin };
    });
    // A rejection holds only ids that were stored before and the database's message; should even it be
    // refused, the warning above is what remains.
    await storeNarrowing(rejections, insert, isDataError);
  }
}
