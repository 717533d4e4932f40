import { Inject, Injectable, Logger } from '@nestjs/common';
import { AuditEmitter, NotificationEvents, SERVICE_CONFIG, postNotification } from '@roster/platform';
import type { ConnectorConfig } from '../config/connector.config';
import { describeQuarantine, type QuarantineState } from './quarantine-state';

export interface QuarantineCause {
  kind: string;
  status?: number;
  body?: unknown;
}

/**
 * Tells people about a quarantine: the service log (error level for a fatal cause, which needs a
 * human), the provisioning log (as Entra's "Activity: Quarantine"), the job's notification e-mail
 * (a notification event, mailed in the next digest) and a JSON POST to NOTIFY_WEBHOOK_URL when one
 * is configured. Neither a webhook nor an event that fails is fatal: both are logged.
 */
@Injectable()
export class QuarantineAlerts {
  private readonly logger = new Logger(QuarantineAlerts.name);

  constructor(
    private readonly audit: AuditEmitter,
    private readonly notifications: NotificationEvents,
    @Inject(SERVICE_CONFIG) private readonly config: ConnectorConfig,
  ) {}

  async entered(state: QuarantineState, cause: QuarantineCause | undefined): Promise<void> {
    const jobId = this.config.PROVISIONING_JOB_ID;
    const text =
      state.kind === 'fatal'
        ? `provisioning job ${jobId} stopped: ${state.reason}; fix the GoTo credentials or admin rights, it resumes when a probe succeeds`
        : `provisioning job ${jobId} quarantined after sustained failures: ${state.reason}`;
    const facts = { event: 'quarantine-entered', provisioningJobId: jobId, ...describeQuarantine(state) };
    if (state.kind === 'fatal') this.logger.error(facts, text);
    else this.logger.warn(facts, text);
    await this.audit.record({
      provisioningJobId: jobId,
      // Escalating a quarantine for failures to a fatal one is a second, separate record.
      correlationId: `quarantine-${state.since}-${state.kind}`,
      action: 'Other',
      step: 'failed',
      status: 'failure',
      reason: text,
      details: facts,
      ...(cause ? { error: cause } : {}),
    });
    await this.notifications.record({
      id: `quarantine/${jobId}/${state.since}/${state.kind}`,
      provisioningJobId: jobId,
      occurredAt: new Date().toISOString(),
      kind: 'quarantine-entered',
      quarantine: state.kind,
      reason: state.reason,
      nextProbeAt: facts.nextProbeAt,
    });
    await this.notify({ ...facts, text });
  }

  async left(state: QuarantineState, why: string): Promise<void> {
    const jobId = this.config.PROVISIONING_JOB_ID;
    const text = `provisioning job ${jobId} left quarantine: ${why}`;
    const facts = { event: 'quarantine-left', provisioningJobId: jobId, ...describeQuarantine(state) };
    this.logger.log(facts, text);
    await this.audit.record({
      provisioningJobId: jobId,
      correlationId: `quarantine-${state.since}-left`,
      action: 'Other',
      step: 'executed',
      status: 'success',
      reason: text,
      details: facts,
    });
    await this.notifications.record({
      id: `quarantine/${jobId}/${state.since}/left`,
      provisioningJobId: jobId,
      occurredAt: new Date().toISOString(),
      kind: 'quarantine-left',
      reason: why,
    });
    await this.notify({ ...facts, text });
  }

  private notify(body: { event: string } & Record<string, unknown>): Promise<void> {
    return postNotification(this.config.NOTIFY_WEBHOOK_URL, body, this.logger);
  }
}
