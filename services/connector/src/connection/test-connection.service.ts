import { Inject, Injectable } from '@nestjs/common';
import type { ConnectorTestConnectionReply } from '@roster/contracts';
import { SERVICE_CONFIG } from '@roster/platform';
import type { ConnectorConfig } from '../config/connector.config';
import { CircuitBreaker } from '../quarantine/circuit-breaker';
import { PROBE_TARGET_CONNECTOR, type TargetConnector } from '../target/target-connector';
import { TargetProfileService } from '../target-profile/target-profile.service';

/**
 * Entra's "Test Connection", which is also the quarantine's probe: a success ends a quarantine, a
 * failure pushes the next probe further out (and a credential or rights failure makes it fatal).
 */
@Injectable()
export class TestConnectionService {
  constructor(
    private readonly breaker: CircuitBreaker,
    @Inject(PROBE_TARGET_CONNECTOR) private readonly target: TargetConnector,
    @Inject(SERVICE_CONFIG) private readonly config: ConnectorConfig,
    private readonly profile: TargetProfileService,
  ) {}

  async run(): Promise<ConnectorTestConnectionReply> {
    const verdict = await this.target.testConnection();
    // The schema is read again with each working connection, so a change at GoTo reaches the mapper's checks.
    if (verdict.ok) await this.profile.refresh();
    await this.breaker.refresh();
    const quarantine = this.breaker.current;
    if (quarantine && verdict.ok) {
      await this.breaker.leave(quarantine, `a probe succeeded (account ${verdict.accountName})`);
    } else if (quarantine && !verdict.ok) {
      const fatal = verdict.reason === 'bad-credentials' || verdict.reason === 'not-admin';
      await this.breaker.probeFailed(quarantine, `probe failed (${verdict.reason}): ${verdict.detail}`, fatal);
    }
    return { target: this.target.name, provisioningJobId: this.config.PROVISIONING_JOB_ID, checkedAt: new Date().toISOString(), ...verdict };
  }
}
