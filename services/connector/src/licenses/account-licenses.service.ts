import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import type { LicenseCheck, TargetLicense } from '@roster/contracts';
import { checkLicenseKeys, managesLicenses } from '@roster/mapping';
import { SERVICE_CONFIG } from '@roster/platform';
import type { ConnectorConfig } from '../config/connector.config';
import type { ConnectionCheck, ConnectionCheckResult } from '../target-profile/connection-check';
import { PROBE_TARGET_CONNECTOR, type TargetConnector } from '../goto/target-connector';
import { TargetProfileRepository } from '../target-profile/target-profile.repository';
import { MappingLicensesReader } from './mapping-licenses.reader';

const NOTHING_MAPPED = 'the mapping gives no licenses';

/**
 * Reads the GoTo account's licenses (with their seats) into the job's target profile at start and at
 * Test Connection, where the mapper checks a saved license mapping against them, and checks the
 * mapping in force against them for Test Connection.
 */
@Injectable()
export class AccountLicensesService implements OnApplicationBootstrap, ConnectionCheck {
  readonly name = 'licenses';
  private readonly logger = new Logger(AccountLicensesService.name);

  constructor(
    @Inject(PROBE_TARGET_CONNECTOR) private readonly target: TargetConnector,
    private readonly profiles: TargetProfileRepository,
    private readonly mappings: MappingLicensesReader,
    @Inject(SERVICE_CONFIG) private readonly config: ConnectorConfig,
  ) {}

  /** Not awaited: a GoTo that cannot be reached at start must not keep the connector from starting. */
  onApplicationBootstrap(): void {
    void this.refresh();
  }

  /** The licenses read (null: GoTo has no Admin API for them); undefined when reading failed, leaving the profile as it was. */
  async refresh(): Promise<TargetLicense[] | null | undefined> {
    const jobId = this.config.PROVISIONING_JOB_ID;
    try {
      const licenses = await this.target.listLicenses();
      await this.profiles.save(jobId, { licenses });
      if (licenses === null) this.logger.warn({ jobId }, "GoTo's Admin API is not available to these credentials: licenses cannot be read or assigned");
      else this.logger.log({ jobId, licenses: licenses.length }, 'account licenses read');
      return licenses;
    } catch (error) {
      this.logger.warn({ jobId, err: (error as Error).message }, 'reading the account licenses failed; keeping those read before');
      return undefined;
    }
  }

  /** Test Connection's check: the licenses section, and a note for each key the account lacks or that has no seat left. */
  async run(): Promise<ConnectionCheckResult> {
    const check = await this.check();
    const notes = [
      ...(check.note && check.note !== NOTHING_MAPPED ? [`licenses: ${check.note}`] : []),
      ...check.unknownKeys.map(({ path, key }) => `licenses: ${path} names license key ${key}, which the GoTo account does not have`),
      ...check.licenses.filter((l) => l.freeSeats === 0).map((l) => `licenses: no seat left on license ${l.key}; users not holding it yet cannot be given it`),
    ];
    return { sections: { licenses: check }, notes };
  }

  /** Reads the licenses again and checks the job's license mapping against them. */
  private async check(): Promise<LicenseCheck> {
    const licenses = await this.refresh();
    const mapping = await this.mappings.get(this.config.PROVISIONING_JOB_ID);
    const none = { licenses: [], unknownKeys: [] };
    if (!managesLicenses(mapping)) return { ...none, note: NOTHING_MAPPED };
    if (licenses === undefined) return { ...none, note: 'the account licenses could not be read; not checked' };
    if (licenses === null) return { ...none, note: "GoTo's Admin API is not available: licenses cannot be checked or assigned" };
    return checkLicenseKeys(mapping, licenses);
  }
}
