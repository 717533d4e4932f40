import { Inject, Injectable, Logger } from '@nestjs/common';
import { NotificationEvents, SERVICE_CONFIG, postNotification } from '@roster/platform';
import type { MapperConfig } from '../config/mapper.config';

export interface ApprovalNotice {
  provisioningJobId: string;
  cycle: string;
  held: number;
  threshold: number;
}

/**
 * Tells the admin that deletions are held: always a warning in the log (alerting reads it), the
 * job's notification e-mail (mailed in the next digest), and a JSON POST to NOTIFY_WEBHOOK_URL when
 * one is configured (chat). Delivery failures are logged, never fatal: the hold itself is durable.
 */
@Injectable()
export class ApprovalNotifier {
  private readonly logger = new Logger(ApprovalNotifier.name);

  constructor(
    @Inject(SERVICE_CONFIG) private readonly config: MapperConfig,
    private readonly notifications: NotificationEvents,
  ) {}

  async notify(notice: ApprovalNotice): Promise<void> {
    const text = `provisioning job ${notice.provisioningJobId}: ${notice.held} disables/deletes in cycle ${notice.cycle} exceed the deletion threshold of ${notice.threshold}; they are held until an admin approves or rejects them`;
    this.logger.warn({ ...notice, event: 'approval-required' }, text);
    await this.notifications.record({
      id: `deletions-held/${notice.provisioningJobId}/${notice.cycle}`,
      provisioningJobId: notice.provisioningJobId,
      occurredAt: new Date().toISOString(),
      kind: 'deletions-held',
      cycle: notice.cycle,
      held: notice.held,
      threshold: notice.threshold,
    });
    await postNotification(this.config.NOTIFY_WEBHOOK_URL, { event: 'approval-required', text, ...notice }, this.logger);
  }
}
