import { Injectable } from '@nestjs/common';
import type { NotificationSettings } from '@roster/contracts';
import { createTransport } from 'nodemailer';

export type SmtpSettings = NonNullable<NotificationSettings['smtp']>;

export interface OutgoingMail {
  to: string[];
  subject: string;
  text: string;
  /** A digest keeps its id if it has to be sent again, so a mailbox can tell the copy. */
  messageId?: string;
}

/** A mail the server did not take, with its reason as the server (or the connection) gave it. */
export class MailNotSent extends Error {}

const TIMEOUTS = { connectionTimeout: 15_000, greetingTimeout: 15_000, socketTimeout: 30_000 };

/** Sends one mail through a job's SMTP server; one connection per mail, as mails are few. */
@Injectable()
export class SmtpMailer {
  async send(smtp: SmtpSettings, password: string | undefined, mail: OutgoingMail): Promise<string> {
    const transport = createTransport({
      host: smtp.host,
      port: smtp.port,
      secure: smtp.tls === 'implicit',
      requireTLS: smtp.tls === 'starttls',
      ignoreTLS: smtp.tls === 'none',
      ...(smtp.user === undefined ? {} : { auth: { user: smtp.user, pass: password ?? '' } }),
      ...TIMEOUTS,
      // Nothing of a mail comes from a file or URL; refusing both keeps it so.
      disableFileAccess: true,
      disableUrlAccess: true,
    });
    try {
      const info = await transport.sendMail({
        from: smtp.from,
        to: mail.to,
        subject: mail.subject,
        text: mail.text,
        ...(mail.messageId ? { messageId: mail.messageId } : {}),
        // RFC 3834: no out-of-office replies to a robot.
        headers: { 'Auto-Submitted': 'auto-generated' },
      });
      return info.messageId;
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new MailNotSent(password ? reason.split(password).join('[Redacted]') : reason);
    } finally {
      transport.close();
    }
  }
}
