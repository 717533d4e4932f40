import { Inject, Injectable, Logger } from '@nestjs/common';
import { notificationEventSchema, type NotificationEvent } from '@roster/contracts';
import { CLOCK, SERVICE_CONFIG, errorMessage, type Clock } from '@roster/platform';
import type { AdminApiConfig } from '../config/admin-api.config';
import { renderDigest, type DigestContent } from './digest-mail';
import { JobMailSettingsReader, type JobMailSettings } from './job-mail-settings';
import { NotificationDigestRepository, type ClaimedEvent, type DigestState, type DigestTransaction } from './notification-digest.repository';
import { SmtpMailer } from './smtp-mailer';

/** Handled events are kept this long (what was mailed, for support), then deleted. */
const RETENTION_MS = 30 * 24 * 3600 * 1000;

/**
 * Mails each job's notification events (quarantine entered/left, held deletions, dead letters) as
 * one digest per period, never one mail per user. A digest goes out once its first event has waited
 * NOTIFICATION_GATHER_MS (so a burst lands in one mail) and the job's previous digest is at least
 * `digestMinutes` old. Where each job stands is in PostgreSQL: a restart neither mails an event twice
 * nor loses one, except that a crash between the server's acceptance and the commit sends that
 * digest again (with the same Message-ID).
 */
@Injectable()
export class NotificationDigests {
  private readonly logger = new Logger(NotificationDigests.name);

  constructor(
    private readonly repository: NotificationDigestRepository,
    private readonly settings: JobMailSettingsReader,
    private readonly mailer: SmtpMailer,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(SERVICE_CONFIG) private readonly config: AdminApiConfig,
  ) {}

  /** One round over the jobs with pending events; a job that fails does not hold up the others. */
  async runOnce(): Promise<void> {
    await this.repository.forgetHandledBefore(new Date(this.clock() - RETENTION_MS));
    for (const jobId of await this.repository.jobsWithPendingEvents()) {
      const now = this.clock();
      try {
        await this.repository.withJob(jobId, async (state, tx) => this.digest(jobId, state, tx, now));
      } catch (error) {
        const reason = errorMessage(error);
        this.logger.warn({ provisioningJobId: jobId, reason }, 'notification digest not sent; it is tried again');
        await this.repository.recordFailure(jobId, new Date(now), reason);
      }
    }
  }

  private async digest(jobId: string, state: DigestState, tx: DigestTransaction, now: number): Promise<void> {
    const mail = await this.settings.read(jobId);
    if (!this.wanted(jobId, mail)) {
      // Mail off: the events are let go, so turning it on later does not mail old news.
      await tx.claim(new Date(now));
      await tx.setPendingSince(null);
      return;
    }
    if (state.pendingSince === null) {
      await tx.setPendingSince(new Date(now));
      if (this.config.NOTIFICATION_GATHER_MS > 0) return;
    } else if (now - state.pendingSince < this.config.NOTIFICATION_GATHER_MS) return;
    if (state.lastSentAt !== null && now - state.lastSentAt < mail.digestMinutes * 60_000) return;

    const content = this.contentOf(jobId, await tx.claim(new Date(now)));
    const messageId = `<digest-${jobId}-${state.digestsSent + 1}@roster>`;
    await this.mailer.send(mail.smtp, mail.password, { to: mail.emails, ...renderDigest(content), messageId });
    await tx.recordSent(new Date(now));
    this.logger.log({ provisioningJobId: jobId, counts: content.counts, recipients: mail.emails.length }, 'notification digest sent');
  }

  private wanted(jobId: string, mail: JobMailSettings | undefined): mail is JobMailSettings & { smtp: NonNullable<JobMailSettings['smtp']> } {
    if (!mail?.enabled || mail.emails.length === 0) return false;
    if (mail.smtp) return true;
    this.logger.warn({ provisioningJobId: jobId }, 'notification e-mail is on but the job has no mail server (notification.smtp); its events are not mailed');
    return false;
  }

  private contentOf(jobId: string, claimed: ClaimedEvent[]): DigestContent {
    const content: DigestContent = {
      jobId,
      counts: { 'quarantine-entered': 0, 'quarantine-left': 0, 'deletions-held': 0, 'dead-letter': 0 },
      heldDeletions: 0,
      first: { 'quarantine-entered': [], 'quarantine-left': [], 'deletions-held': [], 'dead-letter': [] },
    };
    for (const row of claimed) {
      // The table is written by other services: each event is checked against the contract on the way in, too.
      const parsed = notificationEventSchema.safeParse(row.facts);
      if (!parsed.success) {
        this.logger.warn({ provisioningJobId: jobId, kind: row.kind, issues: parsed.error.issues.slice(0, 3) }, 'malformed notification event left out of the digest');
        continue;
      }
      const event = parsed.data;
      content.counts[event.kind] = row.total;
      if (event.kind === 'deletions-held') content.heldDeletions = row.held;
      (content.first[event.kind] as NotificationEvent[]).push(event);
    }
    return content;
  }
}

