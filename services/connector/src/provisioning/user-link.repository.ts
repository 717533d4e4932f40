import { Injectable } from '@nestjs/common';
import type { Attributes } from '@roster/contracts';
import type { EntityManager } from 'typeorm';
import { desiredAfter, type DesiredUser, type UserCommand } from '../accounts/desired-state';

type Sql = Pick<EntityManager, 'query'>;

export interface UserLink {
  targetId: string | null;
  /** The newest desired state seen for the user (null: no user command seen yet). */
  desired: DesiredUser | null;
  /** The attributes the account holds as GoTo answered Roster's writes (null: not known). */
  applied: Attributes | null;
  /** How long an unanswered write to this user may still land (0: none). */
  unsettledForMs: number;
  /** License keys last set on the account (null: none set by Roster, or not known). */
  licenses: string[] | null;
  /** What the last license refusal was about, so it is warned of once; null after a success. */
  licenseWarning: string | null;
  /** Per group key, the change order of the newest membership change accepted. */
  groupOrders: Record<string, string>;
}

export type LinkUpdate = Pick<UserLink, 'targetId' | 'applied' | 'licenses' | 'licenseWarning'>;

interface LinkRow {
  target_id: string | null;
  desired: DesiredUser | null;
  applied: Attributes | null;
  licenses: string[] | null;
  license_warning: string | null;
  group_orders: Record<string, string>;
  unsettled_ms: number;
}

/** The directory user ↔ GoTo account link; reading it takes the user's row lock. */
@Injectable()
export class UserLinkRepository {
  /** Whether the user already has an account, read without the lock: a hint, not a decision. */
  async isLinked(db: Sql, jobId: string, userId: string): Promise<boolean> {
    const rows = (await db.query(
      `SELECT 1 FROM connector_user_link WHERE job_id = $1 AND user_id = $2 AND target_id IS NOT NULL`,
      [jobId, userId],
    )) as unknown[];
    return rows.length > 0;
  }

  async lock(m: EntityManager, jobId: string, userId: string): Promise<UserLink> {
    // One round trip: the no-op update on conflict takes the row lock as SELECT … FOR UPDATE would,
    // and a concurrent first insert of the same user waits for it.
    const [row] = (await m.query(
      `INSERT INTO connector_user_link AS l (job_id, user_id) VALUES ($1, $2)
       ON CONFLICT (job_id, user_id) DO UPDATE SET job_id = l.job_id
       RETURNING target_id, desired, applied, licenses, license_warning, group_orders,
                 greatest(0, extract(epoch FROM unsettled_until - clock_timestamp()) * 1000)::float8 AS unsettled_ms`,
      [jobId, userId],
    )) as LinkRow[];
    return {
      targetId: row!.target_id,
      desired: row!.desired,
      applied: row!.applied,
      unsettledForMs: Math.ceil(row!.unsettled_ms),
      licenses: row!.licenses,
      licenseWarning: row!.license_warning,
      groupOrders: row!.group_orders,
    };
  }

  /**
   * Records the desired state `command` makes (if it is the newest) in a transaction of its own,
   * committed before anything is written to GoTo: a stale command that runs later converges to it
   * even when the newer command's own run is rolled back. `last_order` is the newest order seen for
   * the user, membership changes included: what a reconciliation's repairs carry.
   */
  async recordDesired(db: { transaction<T>(run: (m: EntityManager) => Promise<T>): Promise<T> }, command: UserCommand): Promise<void> {
    await db.transaction(async (m) => {
      const link = await this.lock(m, command.provisioningJobId, command.userId);
      const desired = desiredAfter(link.desired, command);
      if (desired === link.desired) return;
      await m.query(
        `UPDATE connector_user_link SET desired = $3, last_order = greatest(last_order, $4::bigint), updated_at = now()
          WHERE job_id = $1 AND user_id = $2`,
        [command.provisioningJobId, command.userId, JSON.stringify(desired), desired.order],
      );
    });
  }

  /** What GoTo answered: the account, what it holds, its licenses. A write that got its answer is settled. */
  async save(m: EntityManager, jobId: string, userId: string, link: LinkUpdate): Promise<void> {
    await m.query(
      `UPDATE connector_user_link
          SET target_id = $3, applied = $4, licenses = $5, license_warning = $6, unsettled_until = NULL, updated_at = now()
        WHERE job_id = $1 AND user_id = $2`,
      [
        jobId,
        userId,
        link.targetId,
        link.applied === null ? null : JSON.stringify(link.applied),
        link.licenses === null ? null : JSON.stringify(link.licenses),
        link.licenseWarning,
      ],
    );
  }

  /** A membership change to `groupKey` at `order` was accepted: older ones for that group are stale. */
  async acceptedMembership(m: EntityManager, jobId: string, userId: string, groupKey: string, order: string): Promise<void> {
    await m.query(
      `UPDATE connector_user_link
          SET group_orders = group_orders || jsonb_build_object($3::text, $4::text), last_order = greatest(last_order, $4::bigint), updated_at = now()
        WHERE job_id = $1 AND user_id = $2`,
      [jobId, userId, groupKey, order],
    );
  }

  /** How long ago `since` was, on PostgreSQL's clock (the one every replica shares). */
  async msSince(db: Sql, since: string): Promise<number> {
    const [row] = (await db.query(`SELECT extract(epoch FROM clock_timestamp() - $1::timestamptz) * 1000 AS ms`, [since])) as { ms: number }[];
    return Number(row!.ms);
  }

  /** The user's next write waits `ms`: a write that got no answer may still reach the target until then. */
  async markUnsettled(m: EntityManager, jobId: string, userId: string, ms: number): Promise<void> {
    await m.query(
      `UPDATE connector_user_link SET unsettled_until = clock_timestamp() + $3 * interval '1 millisecond', updated_at = now()
        WHERE job_id = $1 AND user_id = $2`,
      [jobId, userId, ms],
    );
  }
}
