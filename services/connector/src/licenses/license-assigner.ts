import { Inject, Injectable, Logger } from '@nestjs/common';
import type { ProvisioningCommand } from '@roster/contracts';
import { sameLicenses } from '@roster/mapping';
import { AuditEmitter, type AuditEntry } from '@roster/platform';
import type { DesiredUser } from '../accounts/desired-state';
import { TARGET_CONNECTOR, TargetError, type TargetConnector } from '../goto/target-connector';

/** The licenses an account holds as far as Roster set them, and the refusal last warned of. */
export interface LicenseState {
  licenses: string[] | null;
  licenseWarning: string | null;
}

/**
 * Puts a command's license keys on the account (GoTo Admin API, after the SCIM write, inside the
 * user's lock, so in the user's order). The set replaces the account's licenses, so sending it again
 * is harmless; it is not sent when it is what Roster last set. A refusal (no seats left, unknown key,
 * no Admin API) does not fail the user's provisioning: it is logged as a warning once per set and
 * refusal, and the next command for the user tries again. Transient failures are retried as any are.
 */
@Injectable()
export class LicenseAssigner {
  private readonly logger = new Logger(LicenseAssigner.name);

  constructor(
    @Inject(TARGET_CONNECTOR) private readonly target: TargetConnector,
    private readonly audit: AuditEmitter,
  ) {}

  /**
   * `held`: the state of `accountId` (a new or different account holds nothing Roster set).
   * `desired`: the user's newest desired state, whose keys win over the command's (a stale command
   * converges to it); `beforeWrite` runs before the keys are sent.
   */
  async assign(
    command: ProvisioningCommand,
    accountId: string,
    held: LicenseState,
    about: Omit<AuditEntry, 'action' | 'step' | 'status'>,
    { desired, beforeWrite }: { desired?: Pick<DesiredUser, 'licenseKeys'>; beforeWrite?: () => Promise<void> } = {},
  ): Promise<LicenseState & { note?: string }> {
    const keys = desired ? desired.licenseKeys : 'licenseKeys' in command ? command.licenseKeys : undefined;
    if (keys === undefined || sameLicenses(keys, held.licenses)) return held;
    try {
      await beforeWrite?.();
      await this.target.setLicenses(accountId, keys);
      return { licenses: keys, licenseWarning: null, note: keys.length ? `licenses set: ${keys.join(', ')}` : 'licenses removed' };
    } catch (error) {
      if (!refusal(error)) throw error;
      const warning = `${keys.join(',')}|${error.status ?? error.kind}`;
      const reason = `licenses ${keys.length ? `[${keys.join(', ')}] could not be assigned` : 'could not be removed'}; the account stays provisioned: ${error.message}`;
      if (warning !== held.licenseWarning) {
        this.logger.warn({ jobId: command.provisioningJobId, userId: command.userId, accountId, licenseKeys: keys, err: error.message }, reason);
        await this.audit.record({ ...about, action: 'Other', step: 'executed', status: 'warning', reason, error: error.details });
      }
      return { licenses: held.licenses, licenseWarning: warning };
    }
  }
}

/**
 * GoTo refused the licenses themselves: 4xx (no seat left, unknown key, Admin API absent or not
 * allowed to these credentials). 429, 5xx, timeouts and a token refused after a refresh are not.
 */
function refusal(error: unknown): error is TargetError {
  return error instanceof TargetError && error.status !== undefined && error.status >= 400 && error.status < 500 && ![401, 408, 429].includes(error.status);
}
