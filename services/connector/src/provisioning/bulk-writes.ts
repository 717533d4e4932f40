import { Inject, Injectable } from '@nestjs/common';
import { SERVICE_CONFIG } from '@roster/platform';
import type { ConnectorConfig } from '../config/connector.config';
import { BulkWriteSession } from '../goto/bulk-write-session';
import { TARGET_CONNECTOR, type BulkLimits, type TargetConnector } from '../goto/target-connector';
import { TargetProfileService } from '../target-profile/target-profile.service';

/**
 * The bulk session the connector's running commands share, where the target takes bulk writes
 * (GOTO_BULK=auto and advertised). One for the whole process, not one per batch: the commands of the
 * batches taken at once share the CONNECTOR_CONCURRENCY slots, so a batch's own session would often
 * have a single command running, and flush it alone.
 */
@Injectable()
export class BulkWrites {
  private shared: { limits: BulkLimits; session: BulkWriteSession } | undefined;

  constructor(
    @Inject(TARGET_CONNECTOR) private readonly target: TargetConnector,
    private readonly profile: TargetProfileService,
    @Inject(SERVICE_CONFIG) private readonly config: ConnectorConfig,
  ) {}

  /** The session every running command's writes go through; undefined when each write goes alone (no bulk). */
  session(): BulkWriteSession | undefined {
    const limits = this.profile.bulkLimits;
    if (!limits) return undefined;
    if (this.shared?.limits !== limits) {
      const session = new BulkWriteSession({
        send: (writes) => this.target.writeAccounts(writes, limits),
        maxOperations: limits.maxOperations,
        maxWaitMs: this.config.GOTO_BULK_WAIT_MS,
      });
      this.shared = { limits, session };
    }
    return this.shared.session;
  }
}
