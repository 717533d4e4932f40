import { BadGatewayException, ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import type { NotificationTestResult } from '@roster/contracts';
import { JobMailSettingsReader } from './job-mail-settings';
import { MailNotSent, SmtpMailer } from './smtp-mailer';

/** The "send test mail" action: the job's saved mail server and recipients, whether or not the checkbox is on. */
@Injectable()
export class TestMail {
  constructor(
    private readonly settings: JobMailSettingsReader,
    private readonly mailer: SmtpMailer,
  ) {}

  async send(jobId: string): Promise<NotificationTestResult> {
    const mail = await this.settings.read(jobId);
    if (!mail) throw new NotFoundException(`no provisioning job ${jobId}`);
    if (!mail.smtp) throw new ConflictException(`provisioning job ${jobId} has no mail server: set notification.smtp (PUT /jobs/${jobId}) first`);
    if (mail.emails.length === 0) throw new ConflictException(`provisioning job ${jobId} has no recipients: set notification.emails (PUT /jobs/${jobId}) first`);
    try {
      const messageId = await this.mailer.send(mail.smtp, mail.password, {
        to: mail.emails,
        subject: `Roster job ${jobId}: test mail`,
        text: [
          `This is a test of the notification e-mail of provisioning job ${jobId}.`,
          '',
          `Digests go to ${mail.emails.join(', ')}, at most one every ${mail.digestMinutes} minutes,`,
          `when the job enters or leaves quarantine, holds deletions or fails to provision a user.`,
          mail.enabled ? 'Notifications are on.' : 'Notifications are off: turn notification.enabled on for digests.',
        ].join('\n'),
      });
      return { sent: true, recipients: mail.emails, messageId };
    } catch (error) {
      if (error instanceof MailNotSent) throw new BadGatewayException(`the mail server ${mail.smtp.host}:${mail.smtp.port} did not take the mail: ${error.message}`);
      throw error;
    }
  }
}
