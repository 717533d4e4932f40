import { Injectable } from '@nestjs/common';
import { ProvisioningCommandType as C, type ProvisioningCommandOf } from '@roster/contracts';
import type { AuditEntry } from '@roster/platform';
import type { DataSource, EntityManager } from 'typeorm';
import type { TargetGroupRef } from '../goto/target-connector';
import type { PendingMembership } from './membership-plan';

export type MembershipCommand = ProvisioningCommandOf<typeof C.AddGroupMember> | ProvisioningCommandOf<typeof C.RemoveGroupMember>;
type Db = Pick<EntityManager | DataSource, 'query'>;

/** What became of an accepted membership change. */
export type MembershipState =
  | { state: 'pending'; groupKey: string }
  /** `logged`: the flush logged the outcome (rows accepted before flushes logged leave it to the command). */
  | { state: 'done'; accountId: string; note: string | null; logged: boolean }
  | { state: 'failed'; accountId: string; note: string; error: { kind: string; status?: number; body?: unknown } };

export interface PendingGroupChange extends PendingMembership {
  group: TargetGroupRef;
  /** Waited the batching window already. */
  due: boolean;
  /** The command's log record, to be stored with each step of the change (null: accepted before they were kept). */
  record: AuditEntry | null;
}

/** GoTo's display names are unique regardless of case: one group, one key. */
export const groupKeyOf = (group: TargetGroupRef): string => group.displayName.toLowerCase();

/** Accepted membership changes: pending until their group's next PATCH, then their outcome until the command reads it. */
@Injectable()
export class GroupMembershipRepository {
  /** `record`: the command's log record, which the flush that sends the change stores with its outcome. */
  async accept(m: EntityManager, command: MembershipCommand, accountId: string, record: AuditEntry): Promise<void> {
    await this.want(m, command);
    // Accepted again (a crash before the outcome was read): pending again, sent again; both are idempotent in SCIM.
    await m.query(
      `INSERT INTO connector_group_membership (job_id, command_key, group_key, group_ref, user_id, account_id, member, change_order, record)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
       ON CONFLICT (job_id, command_key) DO UPDATE
         SET state = 'pending', account_id = excluded.account_id, record = excluded.record, note = NULL, error = NULL, accepted_at = clock_timestamp()`,
      [
        command.provisioningJobId,
        command.idempotencyKey,
        groupKeyOf(command.group),
        JSON.stringify(command.group),
        command.userId,
        accountId,
        command.type === C.AddGroupMember,
        command.order,
        JSON.stringify(record),
      ],
    );
  }

  /** The user's newest wanted membership of the group, kept for reconciliation; an older change never overwrites it. */
  private async want(m: EntityManager, command: MembershipCommand): Promise<void> {
    await m.query(
      `INSERT INTO connector_desired_membership AS d (job_id, user_id, group_key, group_ref, member, change_order)
       VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (job_id, user_id, group_key) DO UPDATE
         SET group_ref = excluded.group_ref, member = excluded.member, change_order = excluded.change_order
         WHERE d.change_order <= excluded.change_order`,
      [
        command.provisioningJobId,
        command.userId,
        groupKeyOf(command.group),
        JSON.stringify(command.group),
        command.type === C.AddGroupMember,
        command.order,
      ],
    );
  }

  async forgetWanted(m: EntityManager, jobId: string, userId: string): Promise<void> {
    await m.query(`DELETE FROM connector_desired_membership WHERE job_id = $1 AND user_id = $2`, [jobId, userId]);
  }

  async stateOf(db: Db, jobId: string, commandKey: string): Promise<MembershipState | null> {
    const [row] = (await db.query(
      `SELECT state, group_key, account_id, note, error, record IS NOT NULL AS logged FROM connector_group_membership WHERE job_id = $1 AND command_key = $2`,
      [jobId, commandKey],
    )) as { state: MembershipState['state']; group_key: string; account_id: string; note: string | null; error: never; logged: boolean }[];
    if (!row) return null;
    if (row.state === 'pending') return { state: 'pending', groupKey: row.group_key };
    if (row.state === 'done') return { state: 'done', accountId: row.account_id, note: row.note, logged: row.logged };
    return { state: 'failed', accountId: row.account_id, note: row.note ?? 'failed', error: row.error };
  }

  async forget(db: Db, jobId: string, commandKey: string): Promise<void> {
    await db.query(`DELETE FROM connector_group_membership WHERE job_id = $1 AND command_key = $2`, [jobId, commandKey]);
  }

  /**
   * How long the group's pending changes may still wait for company: none once `full` are pending or
   * the oldest has waited `windowMs` (measured on PostgreSQL's clock, the one every replica shares).
   */
  async msUntilDue(db: Db, jobId: string, groupKey: string, windowMs: number, full: number): Promise<number> {
    const [row] = (await db.query(
      `SELECT count(*)::int AS n,
              coalesce(greatest(0, extract(epoch FROM min(accepted_at) + $3 * interval '1 millisecond' - clock_timestamp()) * 1000), 0)::float8 AS wait
         FROM connector_group_membership WHERE job_id = $1 AND group_key = $2 AND state = 'pending'`,
      [jobId, groupKey, windowMs],
    )) as { n: number; wait: number }[];
    return row!.n >= full ? 0 : Math.ceil(row!.wait);
  }

  async pending(m: EntityManager, jobId: string, groupKey: string, windowMs: number): Promise<PendingGroupChange[]> {
    const rows = (await m.query(
      `SELECT c.command_key, c.seq::text, c.group_ref, c.user_id, c.account_id, c.member, c.change_order::text, c.record,
              c.accepted_at + $3 * interval '1 millisecond' <= clock_timestamp() AS due,
              d.member AS wanted_member, d.change_order::text AS wanted_order
         FROM connector_group_membership c
         LEFT JOIN connector_desired_membership d ON d.job_id = c.job_id AND d.user_id = c.user_id AND d.group_key = c.group_key
        WHERE c.job_id = $1 AND c.group_key = $2 AND c.state = 'pending' ORDER BY c.seq`,
      [jobId, groupKey, windowMs],
    )) as (Omit<PendingGroupChange, 'commandKey' | 'group' | 'userId' | 'accountId' | 'order' | 'wanted'> & {
      command_key: string;
      group_ref: TargetGroupRef;
      user_id: string;
      account_id: string;
      change_order: string;
      wanted_member: boolean | null;
      wanted_order: string | null;
    })[];
    return rows.map((r) => ({
      commandKey: r.command_key,
      seq: r.seq,
      group: r.group_ref,
      userId: r.user_id,
      accountId: r.account_id,
      member: r.member,
      order: r.change_order,
      due: r.due,
      record: r.record,
      wanted: r.wanted_order === null ? null : { member: r.wanted_member!, order: r.wanted_order },
    }));
  }

  /** Groups holding the account's pending changes, or PATCHes that carried it and were never answered. */
  async groupsCarrying(db: Db, jobId: string, accountId: string): Promise<string[]> {
    const rows = (await db.query(
      `SELECT group_key FROM connector_group_membership WHERE job_id = $1 AND account_id = $2 AND state = 'pending'
        UNION
       SELECT group_key FROM connector_group_write WHERE job_id = $1 AND changes @> jsonb_build_array(jsonb_build_object('accountId', $2::text))
        ORDER BY group_key`,
      [jobId, accountId],
    )) as { group_key: string }[];
    return rows.map((r) => r.group_key);
  }

  async settle(
    m: EntityManager,
    jobId: string,
    commandKeys: string[],
    outcome: { state: 'done' | 'failed'; note?: string; error?: unknown },
  ): Promise<void> {
    if (commandKeys.length === 0) return;
    await m.query(
      `UPDATE connector_group_membership SET state = $3, note = $4, error = $5 WHERE job_id = $1 AND command_key = ANY($2)`,
      [jobId, commandKeys, outcome.state, outcome.note ?? null, outcome.error === undefined ? null : JSON.stringify(outcome.error)],
    );
  }
}
