import { Global, Injectable, Logger, Module } from '@nestjs/common';
import { notificationEventSchema, type NotificationEvent } from '@roster/contracts';
import { DataSource } from 'typeorm';
import { errorMessage } from '../errors/error-message';

/**
 * Where a pipeline service tells the admins something (quarantine, held deletions, dead letters):
 * the admin API mails the events of each job as one digest per period. Recording is best effort, like
 * the webhook: what an event is about is already durable and visible through the API, so a failure
 * to record it is logged, never thrown into the step that raised it.
 */
@Injectable()
export class NotificationEvents {
  private readonly logger = new Logger(NotificationEvents.name);

  constructor(private readonly db: DataSource) {}

  async record(...events: NotificationEvent[]): Promise<void> {
    try {
      const rows = events.map((e) => {
        const event = notificationEventSchema.parse(e);
        return { id: event.id, job_id: event.provisioningJobId, kind: event.kind, occurred_at: event.occurredAt, facts: event };
      });
      await this.db.query(
        `INSERT INTO notification_event (id, job_id, kind, occurred_at, facts)
         SELECT id, job_id, kind, occurred_at, facts FROM jsonb_to_recordset($1::jsonb) AS r(id text, job_id text, kind text, occurred_at timestamptz, facts jsonb)
         ON CONFLICT (id) DO NOTHING`,
        [JSON.stringify(rows)],
      );
    } catch (error) {
      this.logger.error({ err: errorMessage(error), events: events.map((e) => ({ id: e.id, kind: e.kind, provisioningJobId: e.provisioningJobId })) }, 'notification event not recorded; no mail will tell of it');
    }
  }
}

@Global()
@Module({ providers: [NotificationEvents], exports: [NotificationEvents] })
export class NotificationEventsModule {}
