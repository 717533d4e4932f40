import { Inject, Injectable } from '@nestjs/common';
import { AuditEmitter, SERVICE_CONFIG, errorDetailsOf, errorMessage, groupedBy } from '@roster/platform';
import { DataSource } from 'typeorm';
import type { ConnectorConfig } from '../config/connector.config';
import { groupKeyOf } from '../groups/group-membership.repository';
import { groupLockKey } from '../groups/group-membership.flusher';
import { TARGET_CONNECTOR, TargetError, type TargetConnector } from '../goto/target-connector';
import type { Repair } from './drift';

type StrangerRepair = Extract<Repair, { kind: 'remove-stranger' }>;

/**
 * Removes from Roster's groups the members that are no account of Roster's (added in GoTo by hand).
 * No command can name them, so they are removed here, holding the group's lock as its flush does,
 * after checking again that Roster has not linked the account meanwhile (adopted it, then added it).
 */
@Injectable()
export class GroupStrangers {
  constructor(
    private readonly db: DataSource,
    private readonly audit: AuditEmitter,
    @Inject(TARGET_CONNECTOR) private readonly target: TargetConnector,
    @Inject(SERVICE_CONFIG) private readonly config: ConnectorConfig,
  ) {}

  /** The number removed; a group that failed is logged and left for the next run. */
  async remove(jobId: string, runId: string, repairs: readonly StrangerRepair[]): Promise<number> {
    let removed = 0;
    for (const [groupId, strangers] of groupedBy(repairs, (r) => r.groupId)) removed += await this.removeFrom(jobId, runId, groupId, strangers);
    return removed;
  }

  private removeFrom(jobId: string, runId: string, groupId: string, strangers: StrangerRepair[]): Promise<number> {
    const group = strangers[0]!.group;
    return this.db.transaction(async (m) => {
      await m.query(`SELECT pg_advisory_xact_lock($1::bigint)`, [groupLockKey(this.config.DATABASE_SCHEMA, jobId, groupKeyOf(group))]);
      const candidates = strangers.map((s) => s.accountId);
      const linked = (await m.query(`SELECT target_id FROM connector_user_link WHERE job_id = $1 AND target_id = ANY($2)`, [jobId, candidates])) as {
        target_id: string;
      }[];
      const ids = candidates.filter((id) => !linked.some((l) => l.target_id === id));
      const record = (id: string) => ({
        provisioningJobId: jobId,
        correlationId: `reconcile-${runId}`,
        messageId: `reconcile-${runId}/stranger-${groupId}-${id}`,
        action: 'RemoveMember' as const,
        target: { id },
      });
      try {
        await this.target.changeGroupMembers(groupId, { add: [], remove: ids });
      } catch (error) {
        // The group is gone, and its strangers with it.
        if (error instanceof TargetError && error.kind === 'not-found') return 0;
        const reason = `drift: removing account(s) Roster does not manage from group "${group.displayName}" failed: ${errorMessage(error)}`;
        const details = { error: errorDetailsOf(error) };
        await this.audit.recordMany(ids.map((id) => ({ ...record(id), step: 'failed', status: 'failure', reason, ...details })));
        return 0;
      }
      const reason = `drift: not an account Roster manages; removed from group "${group.displayName}"`;
      await this.audit.recordMany(ids.map((id) => ({ ...record(id), step: 'executed', status: 'success', reason })));
      return ids.length;
    });
  }
}
