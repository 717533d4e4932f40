import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import type { TargetAttribute } from '@roster/contracts';
import { SERVICE_CONFIG } from '@roster/platform';
import type { ConnectorConfig } from '../config/connector.config';
import { PROBE_TARGET_CONNECTOR, type BulkLimits, type TargetConnector } from '../goto/target-connector';
import { TargetProfileRepository } from './target-profile.repository';

/**
 * Reads what the target accepts (its SCIM schema) at start and at every successful Test Connection,
 * and stores it as the job's target profile, where the mapper checks saved mappings against it.
 * At start it also reads whether the target takes bulk writes (unless GOTO_BULK=off).
 */
@Injectable()
export class TargetProfileService implements OnApplicationBootstrap {
  private readonly logger = new Logger(TargetProfileService.name);
  private bulk: BulkLimits | null = null;

  constructor(
    @Inject(PROBE_TARGET_CONNECTOR) private readonly target: TargetConnector,
    private readonly profiles: TargetProfileRepository,
    @Inject(SERVICE_CONFIG) private readonly config: ConnectorConfig,
  ) {}

  /** Not awaited: a target that cannot be reached at start must not keep the connector from starting. */
  onApplicationBootstrap(): void {
    this.refresh().catch((error: unknown) =>
      this.logger.warn({ err: (error as Error).message }, 'reading the target schema at start failed; keeping the profile read before'),
    );
    if (this.config.GOTO_BULK === 'auto') {
      this.refreshBulk().catch((error: unknown) => this.logger.warn({ err: (error as Error).message }, 'reading the target bulk support at start failed; writing without bulk'));
    }
  }

  /** What one bulk request may carry, as the target advertised it at start; null: writes go one request each. */
  get bulkLimits(): BulkLimits | null {
    return this.bulk;
  }

  private async refreshBulk(): Promise<void> {
    const bulk = await this.target.readBulkLimits();
    await this.profiles.save(this.config.PROVISIONING_JOB_ID, { bulk });
    this.bulk = bulk;
    this.logger.log({ jobId: this.config.PROVISIONING_JOB_ID, ...(bulk ?? {}) }, bulk ? 'target takes bulk writes' : 'target offers no bulk writes');
  }

  /** The user attributes the target published (null: none), now stored; a failed read leaves the stored profile as it was. */
  async refresh(): Promise<TargetAttribute[] | null> {
    const jobId = this.config.PROVISIONING_JOB_ID;
    const userAttributes = await this.target.readUserSchema();
    await this.profiles.save(jobId, { userAttributes });
    if (userAttributes === null) this.logger.log({ jobId }, 'target offers no schema; mappings are checked against its documented attributes');
    else this.logger.log({ jobId, attributes: userAttributes.length }, 'target schema read');
    return userAttributes;
  }
}
