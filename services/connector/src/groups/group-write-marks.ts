import { Injectable } from '@nestjs/common';
import { AuditOutbox } from '@roster/platform';
import { DataSource, type EntityManager } from 'typeorm';
import type { PendingGroupChange } from './group-membership.repository';
import { ATTEMPTED, membershipRecords } from './membership-records';

type Sql = Pick<EntityManager, 'query'>;

/** A change a PATCH carried, as its mark keeps it. */
export interface MarkedChange {
  commandKey: string;
  accountId: string;
  member: boolean;
}

/** A group PATCH sent, or about to be, whose outcome was never stored. */
export interface GroupWriteMark {
  id: string;
  groupId: string;
  changes: MarkedChange[];
  /** How long its PATCH, unanswered, may still reach GoTo (0: it can no longer land unseen). */
  unsettledForMs: number;
}

/**
 * Marks of group PATCHes, as WriteMarks are of user writes. Before a PATCH, a mark naming its changes
 * is committed on its own with each change's `attempted` record, so no rollback of the flush (GoTo's
 * answer lost, PostgreSQL gone, a crash) takes it back; the transaction that stores the outcome
 * removes it. A mark left behind is settled by the group's next flush, which reads the group from
 * GoTo: a change it holds landed and is logged executed instead of being sent again.
 */
@Injectable()
export class GroupWriteMarks {
  constructor(
    private readonly db: DataSource,
    private readonly outbox: AuditOutbox,
  ) {}

  async before(jobId: string, groupKey: string, groupId: string, changes: readonly PendingGroupChange[]): Promise<string> {
    const marked: MarkedChange[] = changes.map(({ commandKey, accountId, member }) => ({ commandKey, accountId, member }));
    return this.db.transaction(async (m) => {
      const [row] = (await m.query(
        `INSERT INTO connector_group_write (job_id, group_key, group_id, changes) VALUES ($1, $2, $3, $4) RETURNING id::text`,
        [jobId, groupKey, groupId, JSON.stringify(marked)],
      )) as { id: string }[];
      await this.outbox.add(m, membershipRecords(changes, ATTEMPTED, { write: row!.id }));
      return row!.id;
    });
  }

  /** `landWithinMs`: how long after it was sent an unanswered PATCH may still be applied (GoTo's timeout). */
  async of(m: Sql, jobId: string, groupKey: string, landWithinMs: number): Promise<GroupWriteMark[]> {
    const rows = (await m.query(
      `SELECT id::text, group_id, changes,
              greatest(0, extract(epoch FROM attempted_at + $3 * interval '1 millisecond' - clock_timestamp()) * 1000)::float8 AS unsettled_ms
         FROM connector_group_write WHERE job_id = $1 AND group_key = $2 ORDER BY id`,
      [jobId, groupKey, landWithinMs],
    )) as { id: string; group_id: string; changes: MarkedChange[]; unsettled_ms: number }[];
    return rows.map((r) => ({ id: r.id, groupId: r.group_id, changes: r.changes, unsettledForMs: Math.ceil(r.unsettled_ms) }));
  }

  /** In the transaction that stores the outcome; on its own (`this.db`) when GoTo answered that nothing changed. */
  async remove(ids: readonly string[], db: Sql = this.db): Promise<void> {
    if (ids.length > 0) await db.query(`DELETE FROM connector_group_write WHERE id = ANY($1::bigint[])`, [ids]);
  }
}
