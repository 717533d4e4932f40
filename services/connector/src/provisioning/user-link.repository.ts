import { Injectable } from '@nestjs/common';
import type { Attributes } from '@roster/contracts';
import { runPrepared, type Statement } from '@roster/platform';
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

const LINK_COLUMNS = `target_id, desired, applied, licenses, license_warning, group_orders,
  greatest(0, extract(epoch FROM unsettled_until - clock_timestamp()) * 1000)::float8 AS unsettled_ms`;

/** `last_order` is the newest order seen for the user, membership changes included: what a reconciliation's repairs carry. */
const SET_DESIRED = `UPDATE connector_user_link SET desired = $3, last_order = greatest(last_order, $4::bigint), updated_at = now()
  WHERE job_id = $1 AND user_id = $2`;

const LOCK = `SELECT ${LINK_COLUMNS} FROM connector_user_link WHERE job_id = $1 AND user_id = $2 FOR UPDATE`;

const linkOf = (row: LinkRow): UserLink => ({
  targetId: row.target_id,
  desired: row.desired,
  applied: row.applied,
  unsettledForMs: Math.ceil(row.unsettled_ms),
  licenses: row.licenses,
  licenseWarning: row.license_warning,
  groupOrders: row.group_orders,
});

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
    // Locking a row that exists writes nothing; the first command of a user inserts it, and a
    // concurrent first insert of the same user waits for that (the no-op update takes the lock).
    const [row] = (await runPrepared(m, { sql: LOCK, params: [jobId, userId] })) as LinkRow[];
    if (row) return linkOf(row);
    const [inserted] = (await m.query(
      `INSERT INTO connector_user_link AS l (job_id, user_id) VALUES ($1, $2)
       ON CONFLICT (job_id, user_id) DO UPDATE SET job_id = l.job_id
       RETURNING ${LINK_COLUMNS}`,
      [jobId, userId],
    )) as LinkRow[];
    return linkOf(inserted!);
  }

  /**
   * Records the desired state `command` makes (if it is the newest) in a transaction of its own,
   * committed before anything is written to GoTo: a stale command that runs later converges to it
   * even when the newer command's own run is rolled back.
   */
  async recordDesired(db: Sql & { transaction<T>(run: (m: EntityManager) => Promise<T>): Promise<T> }, command: UserCommand): Promise<void> {
    const { provisioningJobId: jobId, userId } = command;
    // Without the lock, in one statement each: a user's first command inserts its row, a later one
    // replaces the state it read unless the row changed since (xmin); else it decides under the lock.
    const first = desiredAfter(null, command);
    const [seen] = (await runPrepared(db, {
      sql: `WITH s AS (INSERT INTO connector_user_link (job_id, user_id, desired, last_order) VALUES ($1, $2, $3, $4::bigint)
                       ON CONFLICT (job_id, user_id) DO NOTHING RETURNING 1)
            SELECT EXISTS (SELECT FROM s) AS inserted, l.desired, l.xmin::text AS version
              FROM (SELECT) AS one LEFT JOIN connector_user_link l ON l.job_id = $1 AND l.user_id = $2`,
      params: [jobId, userId, JSON.stringify(first), first.order],
    })) as { inserted: boolean; desired: DesiredUser | null; version: string | null }[];
    if (seen!.inserted) return;
    if (seen!.version !== null) {
      // Orders only grow: a command older than a state once seen stays older than the state now.
      const desired = desiredAfter(seen!.desired, command);
      if (desired === seen!.desired) return;
      const [replaced] = (await runPrepared(db, {
        sql: `WITH s AS (${SET_DESIRED} AND xmin = $5::xid RETURNING 1) SELECT count(*)::int AS n FROM s`,
        params: [jobId, userId, JSON.stringify(desired), desired.order, seen!.version],
      })) as { n: number }[];
      if (replaced!.n === 1) return;
    }
    await db.transaction(async (m) => {
      const link = await this.lock(m, jobId, userId);
      const desired = desiredAfter(link.desired, command);
      if (desired === link.desired) return;
      await m.query(SET_DESIRED, [jobId, userId, JSON.stringify(desired), desired.order]);
    });
  }

  /** What GoTo answered: the account, what it holds, its licenses. A write that got its answer is settled. */
  saved(jobId: string, userId: string, link: LinkUpdate): Statement {
    return {
      sql: `UPDATE connector_user_link
               SET target_id = $3, applied = $4, licenses = $5, license_warning = $6, unsettled_until = NULL, updated_at = now()
             WHERE job_id = $1 AND user_id = $2`,
      params: [
        jobId,
        userId,
        link.targetId,
        link.applied === null ? null : JSON.stringify(link.applied),
        link.licenses === null ? null : JSON.stringify(link.licenses),
        link.licenseWarning,
      ],
    };
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
