import { Inject, Injectable } from '@nestjs/common';
import { notificationSettingsSchema } from '@roster/contracts';
import { SECRET_KEY_VARIABLE, SERVICE_CONFIG, ProvisioningJobRecords, SecretBox } from '@roster/platform';
import type { AdminApiConfig } from '../config/admin-api.config';
import type { SmtpSettings } from './smtp-mailer';

/** A job's notification e-mail as the sender needs it: the mail server with its password decrypted. */
export interface JobMailSettings {
  enabled: boolean;
  emails: string[];
  digestMinutes: number;
  smtp?: SmtpSettings;
  password?: string;
}

@Injectable()
export class JobMailSettingsReader {
  private readonly box: SecretBox;

  constructor(
    private readonly jobs: ProvisioningJobRecords,
    @Inject(SERVICE_CONFIG) config: AdminApiConfig,
  ) {
    this.box = new SecretBox(config[SECRET_KEY_VARIABLE]);
  }

  /** Undefined when the job does not exist. */
  async read(jobId: string): Promise<JobMailSettings | undefined> {
    const job = await this.jobs.find(jobId);
    if (!job) return undefined;
    // Parsed again: a record written before digests existed gets the contract's defaults.
    const { enabled, emails, digestMinutes, smtp } = notificationSettingsSchema.parse(job.settings.notification);
    const stored = job.secrets['notification.smtp.password'];
    return { enabled, emails, digestMinutes, smtp, password: stored === undefined ? undefined : this.box.decrypt(stored) };
  }
}
