import { Module } from '@nestjs/common';
import { JobMailSettingsReader } from './job-mail-settings';
import { NotificationController } from './notification.controller';
import { NotificationDigestRepository } from './notification-digest.repository';
import { NotificationDigestScheduler } from './notification-digest.scheduler';
import { NotificationDigests } from './notification-digests';
import { SmtpMailer } from './smtp-mailer';
import { TestMail } from './test-mail';

/** The jobs' notification e-mail: digests of the pipeline's notification events, and the test mail. */
@Module({
  controllers: [NotificationController],
  providers: [JobMailSettingsReader, NotificationDigestRepository, NotificationDigests, NotificationDigestScheduler, SmtpMailer, TestMail],
})
export class NotificationsModule {}
