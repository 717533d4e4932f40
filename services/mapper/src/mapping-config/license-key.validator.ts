import { Injectable, Logger } from '@nestjs/common';
import type { LicenseCheck, MappingConfig } from '@roster/contracts';
import { MappingConfigError, checkLicenseKeys, managesLicenses } from '@roster/mapping';
import { TargetProfileReader } from '../target-profile/target-profile.reader';

/**
 * Checks a mapping's license keys against the GoTo account's licenses, as the connector last read
 * them into the target profile (at its start and at Test Connection).
 */
@Injectable()
export class LicenseKeyValidator {
  private readonly logger = new Logger(LicenseKeyValidator.name);

  constructor(private readonly profiles: TargetProfileReader) {}

  /**
   * The configured licenses with their free seats; a MappingConfigError naming each key the account
   * lacks. Undefined when the mapping gives no licenses; a note when the account's licenses were never read.
   */
  async check(jobId: string, config: MappingConfig): Promise<LicenseCheck | undefined> {
    if (!managesLicenses(config.licenses)) return undefined;
    const account = (await this.profiles.get(jobId))?.licenses;
    if (!account) {
      const note = "the GoTo account's licenses have not been read (connector not started yet, or no Admin API): license keys not checked";
      this.logger.warn({ jobId }, note);
      return { licenses: [], unknownKeys: [], note };
    }
    const check = checkLicenseKeys(config.licenses, account);
    if (check.unknownKeys.length) {
      const known = account.map((l) => `${l.key}${l.description ? ` (${l.description})` : ''}`).join(', ') || 'none';
      throw new MappingConfigError(
        check.unknownKeys.map(({ path, key }) => ({ path, message: `unknown license key "${key}": the GoTo account's licenses are ${known}` })),
      );
    }
    return check;
  }
}
