import { Inject, Injectable, Logger } from '@nestjs/common';
import type { ConnectionVerdict, ConnectorTestConnectionReply } from '@roster/contracts';
import { SERVICE_CONFIG } from '@roster/platform';
import type { ConnectorConfig } from '../config/connector.config';
import { CircuitBreaker } from '../quarantine/circuit-breaker';
import { describeQuarantine, type QuarantineState } from '../quarantine/quarantine-state';
import { PROBE_TARGET_CONNECTOR, type TargetConnector } from '../goto/target-connector';
import { CONNECTION_CHECKS, type ConnectionCheck, type ConnectionCheckResult } from '../target-profile/connection-check';
import { TestConnectionThrottle } from './test-connection-throttle';
import { TestConnectionThrottledError } from './test-connection-throttled.error';

/**
 * Entra's "Test Connection" in two uses. An admin's run reports the verdict, the extra checks and
 * the quarantine, at most once per TEST_CONNECTION_INTERVAL_MS per job, and ends a quarantine only
 * when asked to (`resume`). The quarantine's probe decides: a success ends the quarantine, a failure
 * pushes the next probe further out (and a credential or rights failure makes it fatal).
 */
@Injectable()
export class TestConnectionService {
  private readonly logger = new Logger(TestConnectionService.name);

  constructor(
    private readonly breaker: CircuitBreaker,
    private readonly throttle: TestConnectionThrottle,
    @Inject(PROBE_TARGET_CONNECTOR) private readonly target: TargetConnector,
    @Inject(CONNECTION_CHECKS) private readonly checks: readonly ConnectionCheck[],
    @Inject(SERVICE_CONFIG) private readonly config: ConnectorConfig,
  ) {}

  /** An admin's Test Connection; throws TestConnectionThrottledError while the job's last one holds the slot. */
  async run({ resume }: { resume: boolean }): Promise<ConnectorTestConnectionReply> {
    const claim = await this.throttle.claim();
    if (!claim.claimed) throw new TestConnectionThrottledError(claim.retryAfterMs, claim.last);
    const verdict = await this.target.testConnection();
    const extras = verdict.ok ? await this.runChecks() : {};
    await this.breaker.refresh();
    let quarantine = this.breaker.current;
    if (quarantine && verdict.ok && resume) {
      await this.breaker.leave(quarantine, `an admin's Test Connection succeeded and asked to resume${accountOf(verdict)}`);
      quarantine = this.breaker.current;
    }
    const reply: ConnectorTestConnectionReply = {
      target: this.target.name,
      provisioningJobId: this.config.PROVISIONING_JOB_ID,
      checkedAt: new Date().toISOString(),
      quarantine: quarantine && quarantineOf(quarantine),
      ...extras.sections,
      ...(verdict.ok ? { ...verdict, notes: [...verdict.notes, ...(extras.notes ?? [])] } : verdict),
    };
    await this.throttle.record(reply);
    return reply;
  }

  /** The quarantine's probe: only the verdict, no extra checks. */
  async probe(): Promise<void> {
    const verdict = await this.target.testConnection();
    await this.breaker.refresh();
    const quarantine = this.breaker.current;
    if (!quarantine) return;
    if (verdict.ok) {
      await this.breaker.leave(quarantine, `a probe succeeded${accountOf(verdict)}`);
    } else {
      const fatal = verdict.reason === 'bad-credentials' || verdict.reason === 'not-admin';
      await this.breaker.probeFailed(quarantine, `probe failed (${verdict.reason}): ${verdict.detail}`, fatal);
    }
  }

  private async runChecks(): Promise<ConnectionCheckResult> {
    const results = await Promise.all(
      this.checks.map(async (check): Promise<ConnectionCheckResult> => {
        try {
          return await check.run();
        } catch (error) {
          const message = error instanceof Error ? error.message : String(error);
          this.logger.warn({ check: check.name, err: message }, 'a Test Connection check failed');
          return { notes: [`${check.name} could not be checked: ${message}`] };
        }
      }),
    );
    return {
      sections: Object.assign({}, ...results.map((result) => result.sections ?? {})),
      notes: results.flatMap((result) => result.notes ?? []),
    };
  }
}

function accountOf(verdict: ConnectionVerdict): string {
  return verdict.ok && verdict.accountName !== null ? ` (account ${verdict.accountName})` : '';
}

function quarantineOf(state: QuarantineState): NonNullable<ConnectorTestConnectionReply['quarantine']> {
  const { kind, reason, since, nextProbeAt } = describeQuarantine(state);
  return { kind, reason, since, nextProbeAt };
}
