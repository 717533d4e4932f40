import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import type { TargetAttribute } from '@roster/contracts';
import { SERVICE_CONFIG } from '@roster/platform';
import type { ConnectorConfig } from '../config/connector.config';
import { PROBE_TARGET_CONNECTOR, type TargetConnector } from '../goto/target-connector';
import { TargetProfileRepository } from './target-profile.repository';

/**
 * Reads what the target accepts (its SCIM schema) at start and at every successful Test Connection,
 * and stores it as the job's target profile, where the mapper checks saved mappings against it.
 */
@Injectable()
export class TargetProfileService implements OnApplicationBootstrap {
  private readonly logger = new Logger(TargetProfileService.name);

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
